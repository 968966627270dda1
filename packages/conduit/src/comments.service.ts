import { AppError } from '@roadmap/kit';
import { assertCan, type Actor } from '@roadmap/auth';
import {
  addComment,
  deleteComment,
  findCommentById,
  inTransaction,
  listComments,
} from '@roadmap/data-sql';
import type { ArticlesService } from './articles.service';
import type { NewComment } from './comments.schema';
import { viewerId, type ConduitDeps } from './deps';
import { recordEvent } from './events';
import { toComment } from './mappers';
import type { Comment } from './views';

/** The largest PostgreSQL `integer` (2^31 − 1). */
const MAX_INT4 = 2_147_483_647;

export function createCommentsService(
  deps: Pick<ConduitDeps, 'db'> & { articles: ArticlesService },
) {
  const { db, articles } = deps;

  /** GET /articles/:slug/comments — oldest first; 404 `article` for an unknown slug. */
  async function list(actor: Actor, slug: string): Promise<Comment[]> {
    const article = await articles.idOf(slug);
    return (await listComments(db, article.id, viewerId(actor))).map(toComment);
  }

  /** POST /articles/:slug/comments */
  async function add(actor: Actor, slug: string, input: NewComment): Promise<Comment> {
    assertCan(actor, 'comment:create');
    const article = await articles.idOf(slug);
    const comment = await inTransaction(db, async (client) => {
      const added = await addComment(client, {
        articleId: article.id,
        authorId: actor.userId,
        body: input.body,
      });
      await recordEvent(client, 'comment.added', {
        commentId: added.id,
        articleId: article.id,
        articleSlug: slug,
        articleAuthorId: article.authorId,
        authorId: added.authorId,
        authorUsername: added.author.username,
        excerpt: added.body.slice(0, 200),
      });
      return added;
    });
    return toComment(comment);
  }

  /**
   * DELETE /articles/:slug/comments/:id — 404 `article` for an unknown slug, 404 `comment` for a
   * comment that does not exist *on this article* (an id from another article is not found
   * here), 403 `comment` for someone else's comment.
   */
  async function remove(actor: Actor, slug: string, id: number): Promise<void> {
    assertCan(actor, 'comment:delete');
    const article = await articles.idOf(slug);
    // Why: ids are PostgreSQL `integer`s; a larger number names no comment, and sending it to
    // the database would fail as "out of range" (22003) instead of "not found".
    if (id > MAX_INT4) throw AppError.notFound('comment');
    const comment = await findCommentById(db, id);
    if (!comment || comment.articleId !== article.id) throw AppError.notFound('comment');
    assertCan(actor, 'comment:delete', { ownerId: comment.authorId, type: 'comment' });
    if (!(await deleteComment(db, id))) throw AppError.notFound('comment');
  }

  return { list, add, remove };
}

export type CommentsService = ReturnType<typeof createCommentsService>;

import { AppError } from '@roadmap/kit';
import type { Actor } from '@roadmap/auth';
import {
  articleStatesByIds,
  countArticles,
  countFeed,
  feedArticleRows,
  listArticleRows,
  profilesByIds,
  type ArticleRow,
  type ArticleState,
  type RowPage,
} from '@roadmap/data-sql';
import type { ListArticlesQuery } from './articles.schema';
import { viewerId, type ConduitDeps } from './deps';
import { toProfile } from './mappers';
import type { Profile } from './views';

export type ArticleFilter = Pick<ListArticlesQuery, 'tag' | 'author' | 'favorited'>;

/**
 * The article reads split the way a resolver-per-field API asks for them: a page of bare rows
 * first, then what the fields need, for many rows at once. A GraphQL server puts the `*ByIds`
 * functions behind DataLoaders, so a page costs a fixed number of round trips whatever its
 * size. Same rules as the list/feed use cases (the feed needs a viewer).
 */
export function createBatchesService(deps: Pick<ConduitDeps, 'db'>) {
  const { db } = deps;

  function requireViewer(actor: Actor): number {
    if (!actor) throw AppError.unauthorized('token', 'is missing');
    return viewerId(actor)!;
  }

  return {
    articleRows: (_actor: Actor, filter: ArticleFilter, page: RowPage): Promise<ArticleRow[]> =>
      listArticleRows(db, filter, page),
    feedRows: (actor: Actor, page: RowPage): Promise<ArticleRow[]> =>
      feedArticleRows(db, requireViewer(actor), page),
    countArticles: (_actor: Actor, filter: ArticleFilter): Promise<number> =>
      countArticles(db, filter),
    countFeed: (actor: Actor): Promise<number> => countFeed(db, requireViewer(actor)),
    /** Authors as the viewer sees them (`following`); one entry per id, null when missing. */
    async profilesByIds(actor: Actor, ids: readonly number[]): Promise<(Profile | null)[]> {
      const found = await profilesByIds(db, ids, viewerId(actor));
      return ids.map((id) => {
        const profile = found.get(id);
        return profile ? toProfile(profile) : null;
      });
    },
    /** Tags, favorites count and the viewer's `favorited`; one entry per id, null when missing. */
    async articleStatesByIds(
      actor: Actor,
      ids: readonly number[],
    ): Promise<(ArticleState | null)[]> {
      const found = await articleStatesByIds(db, ids, viewerId(actor));
      return ids.map((id) => found.get(id) ?? null);
    },
  };
}

export type BatchesService = ReturnType<typeof createBatchesService>;
export type { ArticleRow, ArticleState, RowPage };

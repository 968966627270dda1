import { query, type Db } from '../db/pool';
import { toProfile, type Profile } from '../profiles/profiles.repository';

export interface Comment {
  id: number;
  body: string;
  articleId: number;
  authorId: number;
  createdAt: Date;
  updatedAt: Date;
  author: Profile;
}

interface CommentRow {
  id: number;
  body: string;
  article_id: number;
  author_id: number;
  created_at: Date;
  updated_at: Date;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  author_following: boolean;
}

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    body: row.body,
    articleId: row.article_id,
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    author: toProfile({
      id: row.author_id,
      username: row.author_username,
      bio: row.author_bio,
      image: row.author_image,
      following: row.author_following,
    }),
  };
}

function commentColumns(viewer: string): string {
  return `c.id, c.body, c.article_id, c.author_id, c.created_at, c.updated_at,
    u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
    EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = ${viewer} AND fo.followee_id = c.author_id) AS author_following`;
}

/**
 * One round trip: the INSERT … RETURNING feeds a CTE that is joined to the author. A missing
 * article (foreign key) becomes a 404 naming `article`.
 */
export async function addComment(
  db: Db,
  input: { articleId: number; authorId: number; body: string },
): Promise<Comment> {
  const { rows } = await query<CommentRow>(
    db,
    `WITH c AS (
       INSERT INTO comments (article_id, author_id, body) VALUES ($1, $2, $3) RETURNING *
     )
     SELECT ${commentColumns('$2')} FROM c JOIN users u ON u.id = c.author_id`,
    [input.articleId, input.authorId, input.body],
  );
  return toComment(rows[0]!);
}

/** Oldest first, each with its author's profile: one query for the whole thread. */
export async function listComments(
  db: Db,
  articleId: number,
  viewerId: number | null,
): Promise<Comment[]> {
  const { rows } = await query<CommentRow>(
    db,
    `SELECT ${commentColumns('$2::int')}
       FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.article_id = $1
      ORDER BY c.created_at, c.id`,
    [articleId, viewerId],
  );
  return rows.map(toComment);
}

export async function findCommentById(
  db: Db,
  id: number,
  viewerId: number | null = null,
): Promise<Comment | null> {
  const { rows } = await query<CommentRow>(
    db,
    `SELECT ${commentColumns('$2::int')} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1`,
    [id, viewerId],
  );
  return rows[0] ? toComment(rows[0]) : null;
}

/** Returns false when the comment did not exist. */
export async function deleteComment(db: Db, id: number): Promise<boolean> {
  const { rowCount } = await query(db, 'DELETE FROM comments WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

// The core Conduit queries on MySQL/MariaDB with mysql2, mirroring the PostgreSQL repositories
// so the two can be read side by side. Same plain objects out; the dialect stays in here.
import { AppError } from '@roadmap/kit';
import mysql from 'mysql2/promise';
import type {
  Article,
  ArticlePage,
  ArticleSummary,
  ListArticlesFilter,
  NewArticle,
} from '../articles/articles.repository';
import { slugify, slugWithSuffix } from '../articles/slug';
import type { Comment } from '../comments/comments.repository';
import type { Profile } from '../profiles/profiles.repository';
import type { NewUser, User as PgUser } from '../users/users.repository';

/** The PostgreSQL user minus the token generation: the MySQL lesson does no token revocation. */
export type User = Omit<PgUser, 'tokenGeneration'>;
import { MYSQL_SCHEMA_DOWN, MYSQL_SCHEMA_UP } from './schema';

export type MysqlDb = mysql.Pool | mysql.PoolConnection;
type Row = mysql.RowDataPacket;

export interface MysqlPoolOptions {
  /** The server cancels a statement running longer than this (default 5 s). */
  statementTimeoutMs?: number;
}

/** Each pool's client-side query timeout, read by q() and exec(). */
const queryTimeouts = new WeakMap<object, number>();

/** Timeouts as on the PostgreSQL side: connecting and every query are bounded. */
export function createMysqlPool(url: string, opts: MysqlPoolOptions = {}): mysql.Pool {
  const statementTimeoutMs = opts.statementTimeoutMs ?? 5_000;
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 10,
    connectTimeout: 5_000,
    // DATETIME has no time zone: read and write it as UTC on both sides.
    timezone: 'Z',
    enableKeepAlive: true,
    // Several statements per call are an injection amplifier; keep them off.
    multipleStatements: false,
  });
  pool.pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
    // MariaDB's statement timeout in seconds (MySQL 8 calls it max_execution_time, SELECT only);
    // the callback swallows the error on a server that does not know the variable.
    conn.query('SET SESSION max_statement_time = ?', [statementTimeoutMs / 1000], () => undefined);
  });
  // Why a client-side timeout too (pg's query_timeout): if the server or the network vanishes
  // mid-query, no error ever arrives, and without it the promise would never settle.
  queryTimeouts.set(pool, statementTimeoutMs + 1_000);
  return pool;
}

export async function migrateMysql(db: MysqlDb, direction: 'up' | 'down' = 'up'): Promise<void> {
  // Why no transaction: MySQL commits implicitly around every DDL statement, so a failed
  // migration leaves the schema half-changed. (PostgreSQL DDL is transactional.)
  for (const sql of direction === 'up' ? MYSQL_SCHEMA_UP : MYSQL_SCHEMA_DOWN) await db.query(sql);
}

const KEY_FIELDS: Record<string, string> = {
  users_email_key: 'email',
  users_username_key: 'username',
  articles_slug_key: 'slug',
  tags_name_key: 'tagList',
};
const PARENTS: Record<string, string> = {
  article: 'article',
  author: 'user',
  user: 'user',
  follower: 'user',
  followee: 'user',
  tag: 'tag',
};

/** The mysql2 twin of mapPgError: errno instead of SQLSTATE, names parsed from the message. */
export function mapMysqlError(err: unknown): AppError {
  const e = (err ?? {}) as { errno?: number; code?: string; message?: string };
  const message = e.message ?? '';
  switch (e.errno ?? 0) {
    case 1062: {
      // "Duplicate entry 'x' for key 'users_email_key'" (MySQL 8 prefixes the table: 'users.users_email_key').
      const key = /for key '(?:\w+\.)?(\w+)'/.exec(message)?.[1] ?? '';
      return AppError.conflict(KEY_FIELDS[key] ?? 'resource', 'has already been taken', err);
    }
    case 1452: {
      const fk = /CONSTRAINT `(\w+)`/.exec(message)?.[1] ?? '';
      const parent = /_(\w+?)_fkey$/.exec(fk)?.[1] ?? '';
      return new AppError({
        code: 'not_found',
        status: 404,
        message: 'not found',
        field: PARENTS[parent] ?? 'resource',
        cause: err,
      });
    }
    case 1451:
      return AppError.conflict('resource', 'is still in use', err);
    case 4025: // MariaDB
    case 3819: {
      // MySQL 8
      const constraint = /constraint [`']?(?:\w+\.)?(\w+)[`']?/i.exec(message)?.[1] ?? '';
      if (constraint === 'follows_not_self')
        return AppError.validation({ username: ['cannot follow yourself'] }, err);
      const field = constraint.replace(/^[a-z]+_/, '').replace(/_check$/, '') || 'body';
      return AppError.validation({ [field]: ['is invalid'] }, err);
    }
    case 1969: // MariaDB max_statement_time
    case 3024: // MySQL max_execution_time
      return new AppError({
        code: 'db_timeout',
        status: 503,
        message: 'database timed out',
        cause: err,
      });
    default:
      if (
        [
          'ECONNREFUSED',
          'PROTOCOL_CONNECTION_LOST',
          'PROTOCOL_SEQUENCE_TIMEOUT', // our client-side query timeout: no answer at all
          'ETIMEDOUT',
          'ECONNRESET',
        ].includes(e.code ?? '')
      ) {
        return new AppError({
          code: 'db_unavailable',
          status: 503,
          message: 'database unavailable',
          cause: err,
        });
      }
      return AppError.internal(err);
  }
}

const timeoutOf = (db: MysqlDb): number => queryTimeouts.get(db) ?? 6_000;

async function q<T extends Row>(db: MysqlDb, sql: string, values: unknown[] = []): Promise<T[]> {
  try {
    // query(), not execute(): mysql2 escapes values client-side. execute() would use a real
    // server-side prepared statement, but MySQL refuses some placeholders there (LIMIT ?).
    const [rows] = await db.query<T[]>({ sql, values, timeout: timeoutOf(db) });
    return rows;
  } catch (err) {
    throw mapMysqlError(err);
  }
}

async function exec(
  db: MysqlDb,
  sql: string,
  values: unknown[] = [],
): Promise<mysql.ResultSetHeader> {
  try {
    const [result] = await db.query<mysql.ResultSetHeader>({
      sql,
      values,
      timeout: timeoutOf(db),
    });
    return result;
  } catch (err) {
    throw mapMysqlError(err);
  }
}

const toUser = (r: Row): User => ({
  id: r.id as number,
  email: r.email as string,
  username: r.username as string,
  passwordHash: r.password_hash as string | null,
  bio: r.bio as string | null,
  image: r.image as string | null,
  role: r.role as User['role'],
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

/** No RETURNING in MySQL (MariaDB has it for INSERT only): insert, then read back by insertId. */
export async function insertUser(db: MysqlDb, user: NewUser): Promise<User> {
  const result = await exec(
    db,
    'INSERT INTO users (email, username, password_hash, bio, image, role) VALUES (?, ?, ?, ?, ?, ?)',
    [
      user.email,
      user.username,
      user.passwordHash,
      user.bio ?? null,
      user.image ?? null,
      user.role ?? 'user',
    ],
  );
  const rows = await q(db, 'SELECT * FROM users WHERE id = ?', [result.insertId]);
  return toUser(rows[0]!);
}

/** Case-insensitive because of the column's collation: no lower() needed (or wanted: it would skip the index). */
export async function findUserByEmail(db: MysqlDb, email: string): Promise<User | null> {
  const rows = await q(db, 'SELECT * FROM users WHERE email = ?', [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findProfile(
  db: MysqlDb,
  username: string,
  viewerId: number | null,
): Promise<Profile | null> {
  const rows = await q(
    db,
    `SELECT u.id, u.username, u.bio, u.image,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = u.id) AS following
       FROM users u WHERE u.username = ?`,
    [viewerId, username],
  );
  const r = rows[0];
  // Booleans: MySQL has none; EXISTS yields 0 or 1.
  return r
    ? {
        id: r.id as number,
        username: r.username as string,
        bio: r.bio as string | null,
        image: r.image as string | null,
        following: r.following === 1,
      }
    : null;
}

/** INSERT IGNORE would also hide other errors (bad data becomes a warning); the no-op upsert only skips duplicates. */
export async function followUser(
  db: MysqlDb,
  followerId: number,
  username: string,
): Promise<Profile | null> {
  await exec(
    db,
    `INSERT INTO follows (follower_id, followee_id)
     SELECT ?, id FROM users WHERE username = ?
     ON DUPLICATE KEY UPDATE follower_id = follower_id`,
    [followerId, username],
  );
  return findProfile(db, username, followerId);
}

function articleColumns(withBody: boolean): string {
  return `a.id, a.slug, a.title, a.description, ${withBody ? 'a.body,' : ''} a.created_at, a.updated_at,
    a.favorites_count, a.author_id, u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
    (SELECT JSON_ARRAYAGG(t.name ORDER BY at.position, t.name)
       FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list,
    EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = ? AND f.article_id = a.id) AS favorited,
    EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = ? AND fo.followee_id = a.author_id) AS author_following`;
}

function toSummary(r: Row): ArticleSummary {
  // JSON: MariaDB returns JSON as text, MySQL 8 as a parsed value; accept both.
  const tags =
    typeof r.tag_list === 'string'
      ? (JSON.parse(r.tag_list) as string[])
      : ((r.tag_list as string[] | null) ?? []);
  return {
    id: r.id as number,
    slug: r.slug as string,
    title: r.title as string,
    description: r.description as string,
    tagList: tags,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    favorited: r.favorited === 1,
    favoritesCount: r.favorites_count as number,
    authorId: r.author_id as number,
    author: {
      id: r.author_id as number,
      username: r.author_username as string,
      bio: r.author_bio as string | null,
      image: r.author_image as string | null,
      following: r.author_following === 1,
    },
  };
}

export async function findArticleBySlug(
  db: MysqlDb,
  slug: string,
  viewerId: number | null,
): Promise<Article | null> {
  const rows = await q(
    db,
    `SELECT ${articleColumns(true)} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = ?`,
    [viewerId, viewerId, slug],
  );
  return rows[0] ? { ...toSummary(rows[0]), body: rows[0].body as string } : null;
}

/**
 * In a transaction, like the PostgreSQL version. The slug retry differs: a failed statement
 * does not abort a MySQL transaction, so catching the duplicate-key error and retrying is fine
 * here, where PostgreSQL needs ON CONFLICT DO NOTHING (or a savepoint).
 */
export async function createArticle(
  pool: mysql.Pool,
  authorId: number,
  input: NewArticle,
): Promise<Article> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    let slug = slugify(input.title);
    let articleId: number | undefined;
    for (let attempt = 0; articleId === undefined; attempt++) {
      try {
        const result = await exec(
          conn,
          'INSERT INTO articles (slug, title, description, body, author_id) VALUES (?, ?, ?, ?, ?)',
          [slug, input.title, input.description, input.body, authorId],
        );
        articleId = result.insertId;
      } catch (err) {
        if (!(err instanceof AppError && err.details.slug) || attempt >= 5) throw err;
        slug = slugWithSuffix(input.title);
      }
    }
    const tags = [...new Set((input.tagList ?? []).map((t) => t.trim()).filter(Boolean))];
    if (tags.length) {
      // Multi-row VALUES: mysql2 expands a nested array bound to a single "?".
      await exec(conn, 'INSERT INTO tags (name) VALUES ? ON DUPLICATE KEY UPDATE name = name', [
        tags.map((t) => [t]),
      ]);
      const ids = await q(conn, 'SELECT id, name FROM tags WHERE name IN (?)', [tags]);
      const idOf = new Map(ids.map((r) => [(r.name as string).toLowerCase(), r.id as number]));
      const links = tags.map((t, i) => [articleId, idOf.get(t.toLowerCase()), i + 1]);
      await exec(conn, 'INSERT IGNORE INTO article_tags (article_id, tag_id, position) VALUES ?', [
        links,
      ]);
    }
    await conn.commit();
    return (await findArticleBySlug(pool, slug, authorId))!;
  } catch (err) {
    await conn.rollback();
    throw err;
  } finally {
    conn.release();
  }
}

export async function listArticles(
  db: MysqlDb,
  filter: ListArticlesFilter,
  viewerId: number | null,
): Promise<ArticlePage> {
  const clauses: string[] = [];
  const values: unknown[] = [];
  if (filter.tag !== undefined) {
    clauses.push(
      'a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)',
    );
    values.push(filter.tag);
  }
  if (filter.author !== undefined) {
    clauses.push('a.author_id = (SELECT id FROM users WHERE username = ?)');
    values.push(filter.author);
  }
  if (filter.favorited !== undefined) {
    clauses.push(
      'a.id IN (SELECT fv.article_id FROM favorites fv JOIN users fu ON fu.id = fv.user_id WHERE fu.username = ?)',
    );
    values.push(filter.favorited);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const [page, count] = await Promise.all([
    q(
      db,
      `SELECT ${articleColumns(false)} FROM articles a JOIN users u ON u.id = a.author_id ${where}
        ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`,
      [viewerId, viewerId, ...values, filter.limit ?? 20, filter.offset ?? 0],
    ),
    q(db, `SELECT COUNT(*) AS n FROM articles a ${where}`, values),
  ]);
  return { articles: page.map(toSummary), articlesCount: Number(count[0]?.n ?? 0) };
}

/**
 * Returns the article or null; idempotent like the PostgreSQL version. Why two statements where
 * PostgreSQL needs one (INSERT … SELECT FROM articles): the favorites trigger updates
 * `articles`, and MySQL forbids a trigger to modify a table the invoking statement reads
 * ("Can't update table 'articles' in stored function/trigger").
 */
export async function favoriteArticle(
  db: MysqlDb,
  userId: number,
  slug: string,
): Promise<Article | null> {
  const found = await q(db, 'SELECT id FROM articles WHERE slug = ?', [slug]);
  if (!found[0]) return null;
  await exec(
    db,
    'INSERT INTO favorites (user_id, article_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE user_id = user_id',
    [userId, found[0].id],
  );
  return findArticleBySlug(db, slug, userId);
}

export async function unfavoriteArticle(
  db: MysqlDb,
  userId: number,
  slug: string,
): Promise<Article | null> {
  // Same trigger rule as favoriteArticle: find the id first, then touch favorites alone.
  const found = await q(db, 'SELECT id FROM articles WHERE slug = ?', [slug]);
  if (!found[0]) return null;
  await exec(db, 'DELETE FROM favorites WHERE user_id = ? AND article_id = ?', [
    userId,
    found[0].id,
  ]);
  return findArticleBySlug(db, slug, userId);
}

export async function addComment(
  db: MysqlDb,
  input: { articleId: number; authorId: number; body: string },
): Promise<Comment> {
  const result = await exec(
    db,
    'INSERT INTO comments (article_id, author_id, body) VALUES (?, ?, ?)',
    [input.articleId, input.authorId, input.body],
  );
  const comments = await listComments(db, input.articleId, input.authorId);
  return comments.find((c) => c.id === result.insertId)!;
}

export async function listComments(
  db: MysqlDb,
  articleId: number,
  viewerId: number | null,
): Promise<Comment[]> {
  const rows = await q(
    db,
    `SELECT c.id, c.body, c.article_id, c.author_id, c.created_at, c.updated_at, u.username, u.bio, u.image,
            EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = ? AND fo.followee_id = c.author_id) AS following
       FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.article_id = ? ORDER BY c.created_at, c.id`,
    [viewerId, articleId],
  );
  return rows.map((r) => ({
    id: r.id as number,
    body: r.body as string,
    articleId: r.article_id as number,
    authorId: r.author_id as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    author: {
      id: r.author_id as number,
      username: r.username as string,
      bio: r.bio as string | null,
      image: r.image as string | null,
      following: r.following === 1,
    },
  }));
}

export async function listTags(db: MysqlDb): Promise<string[]> {
  const rows = await q(
    db,
    'SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id) ORDER BY t.name',
  );
  return rows.map((r) => r.name as string);
}

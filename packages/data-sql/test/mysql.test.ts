import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { AppError } from '@roadmap/kit';
import { createBlackholeProxy } from '@roadmap/kit/testing';
import {
  addComment,
  createArticle,
  createMysqlPool,
  favoriteArticle,
  findArticleBySlug,
  findProfile,
  findUserByEmail,
  followUser,
  insertUser,
  listArticles,
  listComments,
  listTags,
  migrateMysql,
  unfavoriteArticle,
} from '../src/mysql';

// Runs against the local MariaDB (MYSQL_URL, default root@127.0.0.1:3306) in a database of its
// own, created here and dropped after.
const base = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const name = `test_datasql_${randomBytes(4).toString('hex')}`;
let admin: mysql.Connection;
let pool: mysql.Pool;

beforeAll(async () => {
  admin = await mysql.createConnection({ uri: base.toString(), connectTimeout: 3_000 });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  pool = createMysqlPool(url.toString());
  await migrateMysql(pool);
});
afterAll(async () => {
  await pool?.end();
  if (!/^test_datasql_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin?.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin?.end();
});

const id = () => randomBytes(3).toString('hex');
const makeUser = (label = 'u') => {
  const n = `${label}_${id()}`;
  return insertUser(pool, { email: `${n}@example.com`, username: n, passwordHash: null });
};
async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('users on MariaDB', () => {
  test('when an email differs only in case, then the collation makes the plain UNIQUE reject it (409 email)', async () => {
    const user = await makeUser();
    expect(user).toMatchObject({ bio: null, role: 'user' });
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(await findUserByEmail(pool, user.email.toUpperCase())).toEqual(user);
    const error = await rejection(
      insertUser(pool, {
        email: user.email.toUpperCase(),
        username: `x_${id()}`,
        passwordHash: null,
      }),
    );
    expect(error).toMatchObject({ status: 409, details: { email: ['has already been taken'] } });
  });

  test('when the bio is empty or a user follows themself, then CHECK constraints give a 422', async () => {
    const n = `c_${id()}`;
    const bio = await rejection(
      insertUser(pool, { email: `${n}@example.com`, username: n, passwordHash: null, bio: '' }),
    );
    expect(bio).toMatchObject({ status: 422, details: { bio: ['is invalid'] } });
    const jake = await makeUser();
    const self = await rejection(followUser(pool, jake.id, jake.username));
    expect(self.details).toEqual({ username: ['cannot follow yourself'] });
  });

  test('when following (twice), then the profile says following and one row exists', async () => {
    const [jake, jane] = [await makeUser(), await makeUser()];
    await followUser(pool, jane.id, jake.username);
    expect(await followUser(pool, jane.id, jake.username.toUpperCase())).toMatchObject({
      id: jake.id,
      following: true,
    });
    expect(await findProfile(pool, jake.username, null)).toMatchObject({ following: false });
  });
});

describe('articles on MariaDB', () => {
  test('when two articles share a title, then the second slug gets a suffix; tags keep their order', async () => {
    const jake = await makeUser();
    const title = `Dragons ${id()}`;
    const first = await createArticle(pool, jake.id, {
      title,
      description: 'd',
      body: 'b',
      tagList: ['zeta', 'alpha', 'zeta'],
    });
    const second = await createArticle(pool, jake.id, { title, description: 'd', body: 'b' });
    expect(first).toMatchObject({
      slug: title.toLowerCase().replace(' ', '-'),
      tagList: ['zeta', 'alpha'],
      favorited: false,
      body: 'b',
    });
    expect(second.slug).toMatch(new RegExp(`^${first.slug}-[a-z0-9]{6}$`));
    expect(second.tagList).toEqual([]);
    expect(await listTags(pool)).toEqual(expect.arrayContaining(['alpha', 'zeta']));
  });

  test('when the author does not exist, then a 404 names user and no article row is left', async () => {
    const error = await rejection(
      createArticle(pool, 2_000_000_000, { title: 'orphan', description: 'd', body: 'b' }),
    );
    expect(error).toMatchObject({ status: 404, details: { user: ['not found'] } });
    expect(await findArticleBySlug(pool, 'orphan', null)).toBeNull();
  });

  test('when favorited twice and listed by tag, author and favorited, then counts and flags match', async () => {
    const [jake, jane] = [await makeUser(), await makeUser()];
    const tag = `t${id()}`;
    const a = await createArticle(pool, jake.id, {
      title: `A ${id()}`,
      description: 'd',
      body: 'b',
      tagList: [tag],
    });
    const b = await createArticle(pool, jake.id, {
      title: `B ${id()}`,
      description: 'd',
      body: 'b',
      tagList: [tag],
    });
    await favoriteArticle(pool, jane.id, a.slug);
    expect(await favoriteArticle(pool, jane.id, a.slug)).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
    const byTag = await listArticles(pool, { tag }, jane.id);
    expect(byTag.articlesCount).toBe(2);
    expect(byTag.articles.map((x) => [x.slug, x.favorited, x.favoritesCount])).toEqual([
      [b.slug, false, 0],
      [a.slug, true, 1],
    ]);
    expect(byTag.articles[0]).not.toHaveProperty('body');
    expect((await listArticles(pool, { author: jake.username }, null)).articlesCount).toBe(2);
    expect(
      (await listArticles(pool, { favorited: jane.username, tag }, null)).articles.map(
        (x) => x.slug,
      ),
    ).toEqual([a.slug]);
    expect(await unfavoriteArticle(pool, jane.id, a.slug)).toMatchObject({
      favorited: false,
      favoritesCount: 0,
    });
  });

  test('when a user who favorited is deleted, then the cascade-aware trigger keeps favorites_count right', async () => {
    const [jake, jane] = [await makeUser(), await makeUser()];
    const a = await createArticle(pool, jake.id, {
      title: `C ${id()}`,
      description: 'd',
      body: 'b',
    });
    await favoriteArticle(pool, jane.id, a.slug);
    await pool.query('DELETE FROM users WHERE id = ?', [jane.id]);
    expect(await findArticleBySlug(pool, a.slug, null)).toMatchObject({ favoritesCount: 0 });
  });

  test('when comments are added, then they list oldest first with the author; a missing article is a 404', async () => {
    const [jake, jane] = [await makeUser(), await makeUser()];
    const a = await createArticle(pool, jake.id, {
      title: `D ${id()}`,
      description: 'd',
      body: 'b',
    });
    const c1 = await addComment(pool, { articleId: a.id, authorId: jane.id, body: 'first' });
    await addComment(pool, { articleId: a.id, authorId: jake.id, body: 'second' });
    expect(c1).toMatchObject({
      body: 'first',
      author: { username: jane.username, following: false },
    });
    expect((await listComments(pool, a.id, null)).map((c) => c.body)).toEqual(['first', 'second']);
    const missing = await rejection(
      addComment(pool, { articleId: 2_000_000_000, authorId: jake.id, body: 'x' }),
    );
    expect(missing).toMatchObject({ status: 404, details: { article: ['not found'] } });
  });

  test('when the schema goes down and up again, then no table is left, then all are back', async () => {
    const tables = async () => (await pool.query<mysql.RowDataPacket[]>('SHOW TABLES'))[0].length;
    await migrateMysql(pool, 'down');
    expect(await tables()).toBe(0);
    await migrateMysql(pool, 'up');
    expect(await tables()).toBe(7);
  });
});

describe('failures on MariaDB', () => {
  test('when the network goes silent mid-query, then the client-side timeout makes it a 503, not a hang', async () => {
    const target = new URL(base);
    target.pathname = `/${name}`;
    const proxy = await createBlackholeProxy(target, 3306);
    const viaProxy = createMysqlPool(proxy.url, { statementTimeoutMs: 300 });
    try {
      expect(await listTags(viaProxy)).toEqual(expect.any(Array));
      proxy.swallow();
      const started = Date.now();
      const error = await rejection(listTags(viaProxy));
      expect(error).toMatchObject({ status: 503, code: 'db_unavailable' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await proxy.close();
      await viaProxy.end().catch(() => undefined);
    }
  });
});

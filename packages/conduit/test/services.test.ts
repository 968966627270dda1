import { createAuthCore, loadAuthConfig } from '@roadmap/auth';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import { AppError } from '@roadmap/kit';
import {
  createTestRedis,
  requireServices,
  type TestDatabase,
  type TestRedis,
} from '@roadmap/kit/testing';
import {
  articleListView,
  articleView,
  commentView,
  createConduit,
  profileView,
  redisCache,
  tagListView,
  userView,
  type Conduit,
} from '../src';

/**
 * The use cases called directly, with no HTTP in sight: exactly what a GraphQL resolver or a
 * message consumer would do. Real PostgreSQL and Redis, this file's own database and prefix.
 */
let db: TestDatabase;
let cache: TestRedis;
let conduit: Conduit;
beforeAll(async () => {
  await requireServices(['postgres', 'redis']);
  db = await createMigratedTestDatabase('conduit_services');
  cache = await createTestRedis('conduit-services');
  const auth = createAuthCore({
    pool: db.pool,
    redis: cache.redis,
    config: loadAuthConfig({ NODE_ENV: 'test' }),
  });
  conduit = createConduit({
    db: db.pool,
    auth,
    cache: redisCache(cache.redis),
    cacheTtlSeconds: 60,
  });
});
afterAll(async () => {
  await cache?.cleanup();
  await db?.drop();
});

async function actorFor(username: string) {
  await conduit.users.register({
    username,
    email: `${username}@example.com`,
    password: 'password123',
  });
  const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [
    username,
  ]);
  return { userId: rows[0]!.id, role: 'user' as const };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

describe('conduit services', () => {
  it('when a user registers, then the view has a token and null bio/image', async () => {
    const user = await conduit.users.register({
      username: 'svc-jake',
      email: 'svc-jake@example.com',
      password: 'password123',
    });
    expect(user).toEqual({
      username: 'svc-jake',
      email: 'svc-jake@example.com',
      bio: null,
      image: null,
      token: expect.any(String),
    });
  });

  it('when someone other than the author edits, then the policy answers 403 naming the article', async () => {
    const author = await actorFor('svc-author');
    const other = await actorFor('svc-other');
    const article = await conduit.articles.create(author, {
      title: 'Policy',
      description: 'd',
      body: 'b',
      tagList: [],
    });
    const error = await rejection(
      conduit.articles.update(other, article.slug, { body: 'mine now' }),
    );
    expect({ status: error.status, details: error.details }).toEqual({
      status: 403,
      details: { article: ['forbidden'] },
    });
    const editor = { ...other, role: 'editor' as const };
    await expect(
      conduit.articles.update(editor, article.slug, { body: 'moderated' }),
    ).resolves.toMatchObject({ body: 'moderated' });
  });

  it('when an anonymous actor writes, then 401 "is missing" from the service itself', async () => {
    const error = await rejection(
      conduit.articles.create(null, { title: 't', description: 'd', body: 'b', tagList: [] }),
    );
    expect({ status: error.status, details: error.details }).toEqual({
      status: 401,
      details: { token: ['is missing'] },
    });
  });

  it('when the same slug is read by two viewers, then each sees their own flags from one cached copy', async () => {
    const author = await actorFor('svc-cached');
    const fan = await actorFor('svc-fan');
    const { slug } = await conduit.articles.create(author, {
      title: 'Cached',
      description: 'd',
      body: 'b',
      tagList: [],
    });
    await conduit.articles.favorite(fan, slug);
    expect(await conduit.articles.get(null, slug)).toMatchObject({
      favorited: false,
      favoritesCount: 1,
    });
    expect(await conduit.articles.get(fan, slug)).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
    expect(await conduit.articles.get(author, slug)).toMatchObject({
      favorited: false,
      favoritesCount: 1,
    });
  });

  it('when the services answer, then each answer is exactly the shape its view schema declares', async () => {
    // The views are what rest-api documents and GraphQL will map from: a field a mapper adds
    // or drops without the schema must fail here, not in a client.
    const author = await actorFor('svc-views');
    const user = await conduit.users.current(author);
    expect(userView.strict().parse(user)).toEqual(user);
    const article = await conduit.articles.create(author, {
      title: 'Views',
      description: 'd',
      body: 'b',
      tagList: ['views'],
    });
    expect(articleView.strict().parse(article)).toEqual(article);
    const list = await conduit.articles.list(null, {
      author: 'svc-views',
      tag: undefined,
      favorited: undefined,
      limit: 20,
      offset: 0,
    });
    expect(articleListView.strict().parse(list)).toEqual(list);
    expect(list.articles[0]).not.toHaveProperty('body');
    const comment = await conduit.comments.add(author, article.slug, { body: 'c' });
    expect(commentView.strict().parse(comment)).toEqual(comment);
    const profile = await conduit.profiles.get(null, 'svc-views');
    expect(profileView.strict().parse(profile)).toEqual(profile);
    const tags = await conduit.tags.list();
    expect(tagListView.parse(tags)).toContain('views');
  });
});

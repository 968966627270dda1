import { cacheKeys, weakEtag, type CachedArticle } from '@roadmap/conduit';
import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { buildApp } from '../src/app';
import { createArticle, registerUser, useApi, type TestUser } from './helpers';

const t = useApi('cache');
let author: TestUser;
let reader: TestUser;
beforeAll(async () => {
  author = await registerUser(t, 'cauthor');
  reader = await registerUser(t, 'creader');
});

/** What Redis holds for a slug (the app's keys live under "conduit:" inside the test prefix). */
async function cached(slug: string): Promise<CachedArticle | null> {
  const raw = await t.cache.redis.get(`conduit:${cacheKeys.article(slug)}`);
  return raw ? (JSON.parse(raw) as CachedArticle) : null;
}

describe('cache-aside for GET /api/articles/:slug', () => {
  it('when an article is read, then its viewer-independent copy is cached (no favorited/following leak)', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().post(`/api/articles/${slug}/favorite`).set(reader.auth).expect(200);
    await t.http().get(`/api/articles/${slug}`).set(reader.auth).expect(200);
    const entry = await cached(slug);
    expect(entry?.article).toMatchObject({
      slug,
      favorited: false,
      favoritesCount: 1,
      author: { following: false },
    });
  });

  it('when the cache is primed, then reads are served from it (a row changed behind its back is not seen)', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    // Proof the second read does not hit PostgreSQL: change the row without going through the API.
    await t.db.pool.query("UPDATE articles SET body = 'changed in SQL' WHERE slug = $1", [slug]);
    const res = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(res.body).toMatchObject({ article: { body: 'body' } });
  });

  it('when the article is updated through the API, then the next read is fresh', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(author.auth)
      .send({ article: { body: 'updated' } })
      .expect(200);
    const res = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(res.body).toMatchObject({ article: { body: 'updated' } });
  });

  it('when the article is favorited and unfavorited, then the next read shows the new count', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t.http().post(`/api/articles/${slug}/favorite`).set(reader.auth).expect(200);
    const after = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(after.body).toMatchObject({ article: { favoritesCount: 1 } });
    await t.http().delete(`/api/articles/${slug}/favorite`).set(reader.auth).expect(200);
    const back = await t.http().get(`/api/articles/${slug}`).set(reader.auth).expect(200);
    expect(back.body).toMatchObject({ article: { favoritesCount: 0, favorited: false } });
  });

  it('when the article is deleted, then the next read is 404, not the cached copy', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t.http().delete(`/api/articles/${slug}`).set(author.auth).expect(204);
    await t.http().get(`/api/articles/${slug}`).expect(404);
    expect(await cached(slug)).toBeNull();
  });

  it('when the author changes their bio, then cached articles show the new bio', async () => {
    const writer = await registerUser(t, 'bio');
    const { slug } = await createArticle(t, writer);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t
      .http()
      .put('/api/user')
      .set(writer.auth)
      .send({ user: { bio: 'new bio' } })
      .expect(200);
    const res = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(res.body).toMatchObject({ article: { author: { bio: 'new bio' } } });
  });

  it('when a viewer follows the author, then a cached read still shows their own following flag', async () => {
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t.http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    const res = await t.http().get(`/api/articles/${slug}`).set(reader.auth).expect(200);
    expect(res.body).toMatchObject({ article: { author: { following: true } } });
    await t.http().delete(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
  });
});

describe('serialised cache hits', () => {
  it('when an anonymous read is served from the cache text, then body and ETag equal the fresh read', async () => {
    const { slug } = await createArticle(t, author, { tagList: ['zeta', 'alpha'] });
    await t.cache.redis.del(`conduit:${cacheKeys.article(slug)}`);
    const fresh = await t.http().get(`/api/articles/${slug}`).expect(200);
    const hit = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(hit.text).toBe(fresh.text);
    expect(hit.headers.etag).toBe(fresh.headers.etag);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.body).toMatchObject({ article: { slug, tagList: ['zeta', 'alpha'] } });
    // The entry carries the ETag of exactly the body that is sent.
    expect((await cached(slug))?.etag).toBe(weakEtag(hit.text));
  });

  it('when a cached article is asked for with its ETag, then 304 without a body', async () => {
    const { slug } = await createArticle(t, author);
    const first = await t.http().get(`/api/articles/${slug}`).expect(200);
    const again = await t
      .http()
      .get(`/api/articles/${slug}`)
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
    expect(again.text).toBe('');
  });

  it('when an entry of the older shape (no etag) is in the cache, then it is still served correctly', async () => {
    const { slug } = await createArticle(t, author);
    const fresh = await t.http().get(`/api/articles/${slug}`).expect(200);
    const { article } = fresh.body as { article: unknown };
    const key = `conduit:${cacheKeys.article(slug)}`;
    await t.cache.redis.set(key, JSON.stringify({ id: 1, authorId: 1, article }), 'EX', 60);
    const res = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(res.text).toBe(fresh.text);
    expect(res.headers.etag).toBe(fresh.headers.etag);
  });

  it('when the tags come from the cache twice, then both answers are the same text and ETag', async () => {
    await createArticle(t, author, { tagList: ['memo-tag'] });
    const first = await t.http().get('/api/tags').expect(200);
    const second = await t.http().get('/api/tags').expect(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect((second.body as { tags: string[] }).tags).toContain('memo-tag');
  });

  it("when weakEtag hashes a body, then it gives the tag Express's default ETag gives", async () => {
    const plain = express().get('/', (_req, res) => {
      res.json({ article: { title: 'Ünïcode — ok', n: 1 } });
    });
    const res = await request(plain).get('/').expect(200);
    expect(weakEtag(res.text)).toBe(res.headers.etag);
    expect(weakEtag(Buffer.from(res.text))).toBe(res.headers.etag);
  });
});

describe('cache-aside for GET /api/tags', () => {
  it('when tags are read, then cached; a new article with a new tag invalidates them', async () => {
    await t.http().get('/api/tags').expect(200);
    expect(await t.cache.redis.get(`conduit:${cacheKeys.tags()}`)).not.toBeNull();
    await createArticle(t, author, { tagList: ['fresh-tag'] });
    const res = await t.http().get('/api/tags').expect(200);
    expect((res.body as { tags: string[] }).tags).toContain('fresh-tag');
  });

  it('when the only article with a tag is deleted, then the tag disappears from the list', async () => {
    const { slug } = await createArticle(t, author, { tagList: ['short-lived'] });
    const before = await t.http().get('/api/tags').expect(200);
    expect((before.body as { tags: string[] }).tags).toContain('short-lived');
    await t.http().delete(`/api/articles/${slug}`).set(author.auth).expect(204);
    const after = await t.http().get('/api/tags').expect(200);
    expect((after.body as { tags: string[] }).tags).not.toContain('short-lived');
  });
});

describe('when Redis is down', () => {
  it('then reads still answer from PostgreSQL and /readyz says which dependency failed', async () => {
    // A client that can never connect and fails every command at once (no offline queue).
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const degraded = buildApp({ pool: t.db.pool, redis: dead });
    try {
      const { slug } = await createArticle(t, author, { tagList: ['still-there'] });
      const article = await request(degraded.app).get(`/api/articles/${slug}`).expect(200);
      expect(article.body).toMatchObject({ article: { slug, tagList: ['still-there'] } });
      const tags = await request(degraded.app).get('/api/tags').expect(200);
      expect((tags.body as { tags: string[] }).tags).toContain('still-there');
      const ready = await request(degraded.app).get('/readyz').expect(503);
      expect(JSON.stringify(ready.body)).toContain('redis');
    } finally {
      await degraded.close();
      dead.disconnect();
    }
  });
});

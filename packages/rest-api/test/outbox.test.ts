import { createArticle, registerUser, useApi, unique, type TestUser } from './helpers';

/**
 * The transactional outbox seen from the REST API: each write that means something to other
 * services leaves its event in the outbox table, in the same transaction as the change
 * (packages/events publishes it from there).
 */
const t = useApi('outbox');
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  alice = await registerUser(t, 'alice');
  bob = await registerUser(t, 'bob');
});

interface Row {
  event_id: string;
  aggregate: string;
  type: string;
  version: number;
  payload: Record<string, unknown>;
}
const eventsAfter = async (id: number) =>
  (
    await t.db.pool.query<Row & { id: string }>(
      'SELECT id, event_id, aggregate, type, version, payload FROM outbox WHERE id > $1 ORDER BY id',
      [id],
    )
  ).rows;
const lastId = async () =>
  Number(
    (await t.db.pool.query<{ n: string }>('SELECT COALESCE(max(id), 0) AS n FROM outbox')).rows[0]!
      .n,
  );
const userId = async (user: TestUser) =>
  (
    await t.db.pool.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [
      user.username,
    ])
  ).rows[0]!.id;

describe('outbox events from REST writes', () => {
  it('when articles, comments, favorites and follows are written, then each change leaves one event with its data, and repeats leave none', async () => {
    const start = await lastId();
    const [aliceId, bobId] = [await userId(alice), await userId(bob)];
    const article = await createArticle(t, alice, { title: unique('Outbox ') });
    await t
      .http()
      .put(`/api/articles/${article.slug}`)
      .set(alice.auth)
      .send({ article: { body: 'new body', description: 'new description' } })
      .expect(200);
    const comment = await t
      .http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(bob.auth)
      .send({ comment: { body: 'Great read!' } })
      .expect(201);
    await t.http().post(`/api/articles/${article.slug}/favorite`).set(bob.auth).expect(200);
    await t.http().post(`/api/articles/${article.slug}/favorite`).set(bob.auth).expect(200);
    await t.http().post(`/api/profiles/${alice.username}/follow`).set(bob.auth).expect(200);
    await t.http().post(`/api/profiles/${alice.username}/follow`).set(bob.auth).expect(200);
    await t.http().delete(`/api/profiles/${alice.username}/follow`).set(bob.auth).expect(200);
    await t.http().delete(`/api/articles/${article.slug}`).set(alice.auth).expect(204);

    const rows = await eventsAfter(start);
    expect(rows.map((r) => r.type)).toEqual([
      'article.published',
      'article.updated',
      'comment.added',
      'article.favorited', // once: the second favorite changed nothing
      'user.followed', // once, likewise
      'user.unfollowed',
      'article.deleted',
    ]);
    const articleId = rows[0]!.payload.articleId as number;
    expect(rows[0]).toMatchObject({
      aggregate: `article:${articleId}`,
      version: 1,
      payload: {
        slug: article.slug,
        title: article.title,
        authorId: aliceId,
        authorUsername: alice.username,
      },
    });
    expect(rows[1]!.payload).toEqual({
      articleId,
      slug: article.slug,
      authorId: aliceId,
      changed: ['description', 'body'],
    });
    expect(rows[2]).toMatchObject({
      aggregate: `article:${articleId}`,
      payload: {
        commentId: comment.body.comment.id,
        articleId,
        articleSlug: article.slug,
        articleAuthorId: aliceId,
        authorId: bobId,
        authorUsername: bob.username,
        excerpt: 'Great read!',
      },
    });
    expect(rows[3]!.payload).toMatchObject({
      articleAuthorId: aliceId,
      userId: bobId,
      username: bob.username,
    });
    expect(rows[4]).toMatchObject({
      aggregate: `user:${bobId}`,
      payload: { followerId: bobId, followerUsername: bob.username, followeeId: aliceId },
    });
    expect(rows[5]!.payload).toEqual({ followerId: bobId, followeeId: aliceId });
    expect(rows[6]!.payload).toEqual({ articleId, slug: article.slug, authorId: aliceId });
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });

  it('when a write fails, then it records no event', async () => {
    const start = await lastId();
    await t.http().post('/api/articles/no-such-article/favorite').set(bob.auth).expect(404);
    await t.http().post('/api/profiles/nobody-here/follow').set(bob.auth).expect(404);
    expect(await eventsAfter(start)).toEqual([]);
  });

  it('when the event cannot be recorded, then the change rolls back with it (one transaction)', async () => {
    // This file's own database: make every article.published insert into the outbox fail.
    await t.db.pool.query(
      `ALTER TABLE outbox ADD CONSTRAINT test_refuse_published CHECK (type <> 'article.published') NOT VALID`,
    );
    const title = unique('Rolled back ');
    try {
      const res = await t
        .http()
        .post('/api/articles')
        .set(alice.auth)
        .send({ article: { title, description: 'd', body: 'b', tagList: [] } });
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      await t.db.pool.query('ALTER TABLE outbox DROP CONSTRAINT test_refuse_published');
    }
    const { rowCount } = await t.db.pool.query('SELECT 1 FROM articles WHERE title = $1', [title]);
    expect(rowCount).toBe(0);
  });
});

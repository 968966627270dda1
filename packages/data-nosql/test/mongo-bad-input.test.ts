import { describeWithMongo } from '@roadmap/kit/testing';
import { Types } from 'mongoose';
import {
  createArticle,
  findArticleBySlug,
  listArticles,
  updateArticle,
} from '../src/articles/articles.repository';
import { mapErrors } from '../src/mongo/errors';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  type User,
} from '../src/users/users.repository';
import { mongoFixture, type MongoFixture } from './support/mongo';

// The same attacks as mongo-offline.test.ts, now through the repositories against a real
// server: every one ends as a typed AppError (or an empty answer), and the data is untouched.
describeWithMongo('data-nosql bad input against a real MongoDB', () => {
  let fx: MongoFixture;
  let ada: User;
  beforeAll(async () => {
    // A small document limit, so "oversized" needs only a few KB.
    fx = await mongoFixture('badinput', {
      maxDocumentBytes: 4_096,
      articleBodyMaxChars: 1_000_000,
    });
    ada = await insertUser(fx.db, { email: 'ada@example.com', username: 'ada' });
    await insertUser(fx.db, { email: 'bob@example.com', username: 'bob' });
  });
  afterAll(() => fx.drop());

  it('when a login sends { "$gt": "" } as the email, then it is a 422, not the first user in the collection', async () => {
    const body = JSON.parse('{"email": {"$gt": ""}}') as { email: string };
    await expect(findUserByEmail(fx.db, body.email)).rejects.toMatchObject({
      status: 422,
      details: { email: ['is invalid'] },
    });
  });

  it('when a tag filter carries $where or $ne, then it matches literally (nothing) or is refused — never every article', async () => {
    await createArticle(fx.db, ada.id, {
      title: 'Real',
      description: 'd',
      body: 'b',
      tagList: ['real'],
    });
    const ne = JSON.parse('{"$ne": "nothing"}') as string;
    await expect(listArticles(fx.db, { tag: ne }, null)).rejects.toMatchObject({ status: 422 });
    const where = JSON.parse('{"$where": "true"}') as Record<string, unknown>;
    await expect(mapErrors(() => fx.db.Article.find(where).lean())).rejects.toMatchObject({
      status: 422,
    });
    expect((await listArticles(fx.db, { tag: 'real' }, null)).articlesCount).toBe(1);
  });

  it('when ids are malformed, then finders return null and nothing throws', async () => {
    for (const id of ['', 'abc', '../../etc', '64b7f0c2a1b2c3d4e5f6071Z', '{"$gt":""}'])
      expect(await findUserById(fx.db, id)).toBeNull();
    expect(await findUserById(fx.db, new Types.ObjectId().toHexString())).toBeNull();
    expect(await findArticleBySlug(fx.db, 'missing', 'not-an-id')).toBeNull();
  });

  it('when a document is larger than MAX_DOCUMENT_BYTES, then create is a 422 and nothing is stored', async () => {
    await expect(
      createArticle(fx.db, ada.id, { title: 'Huge', description: 'd', body: 'x'.repeat(10_000) }),
    ).rejects.toMatchObject({
      status: 422,
      details: { body: ['is too large to store as one document'] },
    });
    expect(await fx.db.Article.countDocuments({ title: 'Huge' })).toBe(0);

    const small = await createArticle(fx.db, ada.id, {
      title: 'Small',
      description: 'd',
      body: 'b',
    });
    await expect(
      updateArticle(fx.db, small.id, { body: 'x'.repeat(10_000) }),
    ).rejects.toMatchObject({
      status: 422,
    });
    expect((await findArticleBySlug(fx.db, small.slug, null))!.body).toBe('b');
  });

  it('when a key is duplicated, then it is a 409 naming the field, and the process keeps serving', async () => {
    await expect(
      insertUser(fx.db, { email: 'ADA@example.com', username: 'ada2' }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      details: { email: ['has already been taken'] },
    });
    expect(await findUserByEmail(fx.db, 'ada@example.com')).toMatchObject({ username: 'ada' });
  });
});

import { AppError } from '@roadmap/kit';
import mongoose from 'mongoose';
import { normalizeTags, slugify } from '../src/articles/slug';
import { upgradeArticle, type ArticleDocV1 } from '../src/articles/article-migration';
import { bindModels, connectMongo } from '../src/mongo/connection';
import { assertDocumentSize } from '../src/mongo/document-size';
import { mapErrors, mapMongoError } from '../src/mongo/errors';
import { parseObjectId } from '../src/mongo/ids';

// Why this file runs everywhere: casting, sanitizing, strict queries and validation happen in
// mongoose before anything is sent, so these defences are tested for real even where no
// MongoDB server exists. Each query below is rejected before it would need a connection.
const conn = mongoose.createConnection();
conn.set('sanitizeFilter', true);
const db = bindModels(conn);
afterAll(() => conn.close());

async function rejection(fn: () => Promise<unknown>): Promise<AppError> {
  const error = await mapErrors(fn).then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

describe('operator injection and strict queries (mongoose, no server needed)', () => {
  it('when a filter value is an operator object ({ "$gt": "" }), then it is wrapped in $eq, fails to cast and becomes a 422 naming the field', async () => {
    const body = JSON.parse('{"email": {"$gt": ""}, "password": "x"}') as { email: string };
    const error = await rejection(() => db.User.findOne({ email: body.email }).lean());
    expect(error).toMatchObject({ status: 422, details: { email: ['is invalid'] } });
  });

  it('when an array field is filtered with { "$ne": … }, then it is not an operator any more and fails to cast (422)', async () => {
    const tag = JSON.parse('{"$ne": "nothing"}') as string;
    const error = await rejection(() => db.Article.find({ tagList: tag }).lean());
    expect(error).toMatchObject({ status: 422, details: { tagList: ['is invalid'] } });
  });

  it('when a filter carries $where, then sanitizeFilter refuses it (422), so no JavaScript runs on the server', async () => {
    const filter = JSON.parse('{"$where": "sleep(1000) || true"}') as Record<string, unknown>;
    const error = await rejection(() => db.Article.find(filter).lean());
    expect(error).toMatchObject({
      status: 422,
      details: { filter: ['may not contain query operators'] },
    });
  });

  it('when a filter names a field the schema does not have, then strictQuery throws a 422 instead of matching everything', async () => {
    const error = await rejection(() => db.User.findOne({ isAdmin: true }).lean());
    expect(error).toMatchObject({ status: 422, details: { isAdmin: ['is not a known field'] } });
  });

  it('when our own code writes an operator without trusted(), then it is neutralised too (why the repositories mark theirs)', async () => {
    const error = await rejection(() =>
      db.User.find({ _id: { $in: [new mongoose.Types.ObjectId().toHexString()] } }).lean(),
    );
    expect(error.status).toBe(404); // cast of the literal object { $in: [...] } to an ObjectId failed
  });

  it('when an id is not an ObjectId, then the cast error is a 404, as for an unknown id', async () => {
    const error = await rejection(() => db.Article.findById('not-an-id').lean());
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('validation before writing', () => {
  it('when a user breaks several rules, then one 422 lists every field with a readable message', async () => {
    const error = await rejection(() =>
      new db.User({ email: 'not-an-email', username: '', role: 'god', bio: '' }).validate(),
    );
    expect(error.status).toBe(422);
    expect(error.details).toEqual({
      email: ['is invalid'],
      username: ["can't be blank"],
      role: ['is not one of the allowed values'],
      bio: ['must not be empty'],
    });
  });

  it('when a write has a field the schema does not know, then strict mode refuses it', () => {
    expect(() => new db.User({ email: 'a@b.co', username: 'a', isAdmin: true })).toThrow(
      mongoose.Error.StrictModeError,
    );
  });

  it('when an article body is longer than ARTICLE_BODY_MAX_CHARS, then it is a 422 "is too long"', async () => {
    const small = bindModels(mongoose.createConnection(), { articleBodyMaxChars: 10 });
    const error = await rejection(() =>
      new small.Article({
        slug: 's',
        title: 't',
        description: 'd',
        body: 'x'.repeat(11),
        author: new mongoose.Types.ObjectId(),
      }).validate(),
    );
    expect(error.details).toEqual({ body: ['is too long'] });
    await small.conn.close();
  });

  it('when a document is larger than MAX_DOCUMENT_BYTES, then assertDocumentSize refuses it with a 422', () => {
    expect(() => assertDocumentSize({ body: 'x'.repeat(2_000) }, 1_024)).toThrow(
      expect.objectContaining({
        status: 422,
        details: { body: ['is too large to store as one document'] },
      }),
    );
    expect(() => assertDocumentSize({ body: 'x'.repeat(500) }, 1_024)).not.toThrow();
  });
});

describe('mapMongoError', () => {
  it('when the server reports a duplicate key, then it is a 409 naming the field of the unique index', () => {
    const duplicate = new mongoose.mongo.MongoServerError({
      message: 'E11000 duplicate key error collection: t.users index: users_email_key dup key',
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'ada@example.com' },
    });
    expect(mapMongoError(duplicate)).toMatchObject({
      status: 409,
      code: 'conflict',
      details: { email: ['has already been taken'] },
    });
  });

  it('when the collection validator refuses a document (code 121), then it is a 422', () => {
    const refused = new mongoose.mongo.MongoServerError({
      message: 'Document failed validation',
      code: 121,
    });
    expect(mapMongoError(refused)).toMatchObject({ status: 422 });
  });

  it('when MongoDB cannot be reached, then connecting fails within the timeout and maps to a 503', async () => {
    const error = await connectMongo('mongodb://127.0.0.1:1/test_unreachable', {
      serverSelectionTimeoutMS: 300,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(mapMongoError(error)).toMatchObject({ status: 503, code: 'db_unavailable' });
  });

  it('when the error is not a database error, then it passes through unchanged (a logged 500)', () => {
    const bug = new TypeError('x is undefined');
    expect(mapMongoError(bug)).toBe(bug);
  });
});

describe('ids, slugs, tags and the article upgrade', () => {
  it('parseObjectId accepts only the 24-hex-digit form', () => {
    expect(parseObjectId('64b7f0c2a1b2c3d4e5f60718')?.toHexString()).toBe(
      '64b7f0c2a1b2c3d4e5f60718',
    );
    for (const bad of [
      'aaaaaaaaaaaa',
      '64b7f0c2a1b2c3d4e5f6071',
      'zzb7f0c2a1b2c3d4e5f60718',
      { $gt: '' },
      42,
      null,
    ])
      expect(parseObjectId(bad)).toBeNull();
  });

  it('slugify and normalizeTags follow the data-sql rules', () => {
    expect(slugify('How to Train Your Dragon!')).toBe('how-to-train-your-dragon');
    expect(slugify('Crème brûlée')).toBe('creme-brulee');
    expect(slugify('Feed')).toBe('feed-article');
    expect(normalizeTags([' Dragons', 'training ', 'dragons', '', 'Ops'])).toEqual([
      'dragons',
      'training',
      'ops',
    ]);
  });

  it('when a version-1 article is upgraded, then its tag string becomes a clean tagList at version 2', () => {
    const v1 = {
      _id: new mongoose.Types.ObjectId(),
      slug: 's',
      title: 't',
      description: 'd',
      body: 'b',
      author: new mongoose.Types.ObjectId(),
      favoritesCount: 0,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      schemaVersion: 1,
      tags: ' Dragons, training ,dragons,, ',
    } satisfies ArticleDocV1;
    const v2 = upgradeArticle(v1);
    expect(v2).toMatchObject({ tagList: ['dragons', 'training'], schemaVersion: 2 });
    expect(v2).not.toHaveProperty('tags');
  });
});

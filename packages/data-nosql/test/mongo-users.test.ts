import { describeWithMongo } from '@roadmap/kit/testing';
import { Types } from 'mongoose';
import { ensureSchema } from '../src/mongo/connection';
import { mapMongoError } from '../src/mongo/errors';
import {
  findUserByEmail,
  findUserById,
  findUserByUsername,
  insertUser,
  updateUser,
  verifyUser,
} from '../src/users/users.repository';
import { mongoFixture, type MongoFixture } from './support/mongo';

describeWithMongo('data-nosql users, validators and indexes (MongoDB)', () => {
  let fx: MongoFixture;
  beforeAll(async () => {
    fx = await mongoFixture('users', { unverifiedSignupTtlSeconds: 3600 });
  });
  afterAll(() => fx.drop());

  it('when a user is inserted, then it comes back as a plain object with defaults and a string id', async () => {
    const user = await insertUser(fx.db, { email: ' Ada@Example.com ', username: 'Ada' });
    expect(user).toMatchObject({
      email: 'ada@example.com',
      username: 'Ada',
      bio: null,
      image: null,
      role: 'user',
      passwordHash: null,
      unverifiedExpiresAt: null,
    });
    expect(user.id).toMatch(/^[0-9a-f]{24}$/);
    expect(await findUserById(fx.db, user.id)).toEqual(user);
    expect(await findUserByEmail(fx.db, 'ADA@example.com')).toEqual(user);
    expect(await findUserByUsername(fx.db, 'aDa')).toEqual(user);
  });

  it('when the email or the username (in any case) is taken, then insert is a 409 naming the field', async () => {
    await insertUser(fx.db, { email: 'grace@example.com', username: 'grace' });
    await expect(
      insertUser(fx.db, { email: 'GRACE@example.com', username: 'other' }),
    ).rejects.toMatchObject({
      status: 409,
      details: { email: ['has already been taken'] },
    });
    await expect(
      insertUser(fx.db, { email: 'g2@example.com', username: 'GRACE' }),
    ).rejects.toMatchObject({
      status: 409,
      details: { username: ['has already been taken'] },
    });
  });

  it('when fields are invalid, then insert is a 422 listing them and nothing is written', async () => {
    await expect(
      insertUser(fx.db, { email: 'nope', username: '', role: 'root' as never }),
    ).rejects.toMatchObject({
      status: 422,
      details: {
        email: ['is invalid'],
        username: ["can't be blank"],
        role: ['is not one of the allowed values'],
      },
    });
    expect(await fx.db.User.countDocuments({ email: 'nope' })).toBe(0);
  });

  it('when a user is updated, then validators run on the update and conflicts are 409', async () => {
    const user = await insertUser(fx.db, { email: 'linus@example.com', username: 'linus' });
    const updated = await updateUser(fx.db, user.id, {
      bio: 'Kernel',
      image: 'https://example.com/l.png',
    });
    expect(updated).toMatchObject({
      bio: 'Kernel',
      image: 'https://example.com/l.png',
      username: 'linus',
    });
    await expect(updateUser(fx.db, user.id, { bio: '' })).rejects.toMatchObject({ status: 422 });
    await expect(updateUser(fx.db, user.id, { username: 'ADA' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(updateUser(fx.db, '64b7f0c2a1b2c3d4e5f60718', { bio: 'x' })).rejects.toMatchObject(
      { status: 404 },
    );
    await expect(updateUser(fx.db, 'not-an-id', { bio: 'x' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('when a sign-up is unverified, then it carries an expiry the TTL index acts on, and verifying removes it', async () => {
    const before = Date.now();
    const user = await insertUser(fx.db, {
      email: 'new@example.com',
      username: 'newbie',
      unverified: true,
    });
    expect(user.unverifiedExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    const verified = await verifyUser(fx.db, user.id);
    expect(verified.unverifiedExpiresAt).toBeNull();
    const raw = await fx.db.User.collection.findOne({ _id: new Types.ObjectId(user.id) });
    expect(raw).not.toHaveProperty('unverifiedExpiresAt');
  });

  it('when the indexes are listed, then the unique, TTL, compound, multikey and partial ones all exist as declared', async () => {
    const users = await fx.db.User.collection.indexes();
    expect(users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'users_email_key', unique: true }),
        expect.objectContaining({
          name: 'users_username_key',
          unique: true,
          collation: expect.objectContaining({ strength: 2 }),
        }),
        expect.objectContaining({ name: 'users_unverified_ttl', expireAfterSeconds: 0 }),
      ]),
    );
    const articles = await fx.db.Article.collection.indexes();
    expect(articles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'articles_slug_key', unique: true }),
        expect.objectContaining({
          name: 'articles_author_created_at',
          key: { author: 1, createdAt: -1 },
        }),
        expect.objectContaining({
          name: 'articles_tags_created_at',
          key: { tagList: 1, createdAt: -1 },
        }),
        expect.objectContaining({
          name: 'articles_popular_partial',
          partialFilterExpression: { favoritesCount: { $gt: 0 } },
        }),
      ]),
    );
    expect(await fx.db.Favorite.collection.indexes()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'favorites_user_article_key', unique: true }),
      ]),
    );
  });

  it('when a write bypasses mongoose, then the collection $jsonSchema validator still refuses a bad document (422)', async () => {
    const error = await fx.db.User.collection
      .insertOne({
        email: 'raw@example.com',
        username: 'raw',
        role: 'superuser',
        createdAt: new Date(),
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(mapMongoError(error)).toMatchObject({
      status: 422,
      details: { body: ['does not match the collection schema'] },
    });
    expect(await fx.db.User.collection.countDocuments({ email: 'raw@example.com' })).toBe(0);
  });

  it('when ensureSchema runs again, then it succeeds and changes nothing (idempotent)', async () => {
    const before = await fx.db.Article.collection.indexes();
    await ensureSchema(fx.db);
    expect(await fx.db.Article.collection.indexes()).toEqual(before);
  });
});

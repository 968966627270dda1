import { describeWithMongo } from '@roadmap/kit/testing';
import { Types } from 'mongoose';
import { createArticle, type Article } from '../src/articles/articles.repository';
import {
  addComment,
  deleteComment,
  findCommentById,
  listComments,
} from '../src/comments/comments.repository';
import { findProfile, followUser, unfollowUser } from '../src/profiles/profiles.repository';
import { listTags } from '../src/tags/tags.repository';
import { insertUser, type User } from '../src/users/users.repository';
import { mongoFixture, type MongoFixture } from './support/mongo';

describeWithMongo('data-nosql profiles, follows, comments and tags (MongoDB)', () => {
  let fx: MongoFixture;
  let ada: User;
  let bob: User;
  let article: Article;
  beforeAll(async () => {
    fx = await mongoFixture('profiles');
    ada = await insertUser(fx.db, { email: 'ada@example.com', username: 'Ada', bio: 'Maths' });
    bob = await insertUser(fx.db, { email: 'bob@example.com', username: 'bob' });
    article = await createArticle(fx.db, ada.id, {
      title: 'Notes',
      description: 'd',
      body: 'b',
      tagList: ['maths', 'history'],
    });
    await createArticle(fx.db, bob.id, {
      title: 'More',
      description: 'd',
      body: 'b',
      tagList: ['maths'],
    });
  });
  afterAll(() => fx.drop());

  it('when bob follows ada twice, then one follow exists and her profile says following for bob only', async () => {
    expect(await followUser(fx.db, bob.id, 'ada')).toMatchObject({
      username: 'Ada',
      following: true,
    });
    await followUser(fx.db, bob.id, 'ADA');
    expect(await fx.db.Follow.countDocuments({ follower: new Types.ObjectId(bob.id) })).toBe(1);
    expect(await findProfile(fx.db, 'ada', bob.id)).toMatchObject({
      username: 'Ada',
      bio: 'Maths',
      following: true,
    });
    expect(await findProfile(fx.db, 'ada', null)).toMatchObject({ following: false });
    expect(await findProfile(fx.db, 'nobody', null)).toBeNull();
  });

  it('when bob unfollows (twice), then following is false and no follow remains', async () => {
    expect(await unfollowUser(fx.db, bob.id, 'ada')).toMatchObject({ following: false });
    expect(await unfollowUser(fx.db, bob.id, 'ada')).toMatchObject({ following: false });
    expect(await fx.db.Follow.countDocuments({ follower: new Types.ObjectId(bob.id) })).toBe(0);
  });

  it('when a user follows themselves, a missing user, or as a missing follower, then 422 / 404 / 404', async () => {
    await expect(followUser(fx.db, ada.id, 'ada')).rejects.toMatchObject({
      status: 422,
      details: { username: ['cannot follow yourself'] },
    });
    await expect(followUser(fx.db, ada.id, 'ghost')).rejects.toMatchObject({
      status: 404,
      details: { profile: ['not found'] },
    });
    await expect(
      followUser(fx.db, new Types.ObjectId().toHexString(), 'ada'),
    ).rejects.toMatchObject({ status: 404 });
    await expect(followUser(fx.db, 'not-an-id', 'ada')).rejects.toMatchObject({ status: 404 });
  });

  it('when comments are added, then they list oldest first with their authors, and delete removes one', async () => {
    const first = await addComment(fx.db, {
      articleId: article.id,
      authorId: bob.id,
      body: 'First!',
    });
    const second = await addComment(fx.db, {
      articleId: article.id,
      authorId: ada.id,
      body: 'Thanks',
    });
    expect(first).toMatchObject({
      body: 'First!',
      articleId: article.id,
      author: { username: 'bob', following: false },
    });
    const listed = await listComments(fx.db, article.id, bob.id);
    expect(listed.map((c) => [c.body, c.author.username])).toEqual([
      ['First!', 'bob'],
      ['Thanks', 'Ada'],
    ]);
    expect(await findCommentById(fx.db, second.id)).toMatchObject({ body: 'Thanks' });
    expect(await deleteComment(fx.db, first.id)).toBe(true);
    expect(await deleteComment(fx.db, first.id)).toBe(false);
    expect((await listComments(fx.db, article.id, null)).map((c) => c.body)).toEqual(['Thanks']);
  });

  it('when a comment targets a missing article or author, or is empty, then 404 / 404 / 422', async () => {
    await expect(
      addComment(fx.db, {
        articleId: new Types.ObjectId().toHexString(),
        authorId: bob.id,
        body: 'x',
      }),
    ).rejects.toMatchObject({ status: 404, details: { article: ['not found'] } });
    await expect(
      addComment(fx.db, {
        articleId: article.id,
        authorId: new Types.ObjectId().toHexString(),
        body: 'x',
      }),
    ).rejects.toMatchObject({ status: 404, details: { user: ['not found'] } });
    await expect(
      addComment(fx.db, { articleId: article.id, authorId: bob.id, body: '   ' }),
    ).rejects.toMatchObject({ status: 422, details: { body: ["can't be blank"] } });
    expect(await listComments(fx.db, 'not-an-id', null)).toEqual([]);
    expect(await findCommentById(fx.db, 'not-an-id')).toBeNull();
  });

  it('when tags are listed, then the most used comes first', async () => {
    expect(await listTags(fx.db)).toEqual(['maths', 'history']);
  });
});

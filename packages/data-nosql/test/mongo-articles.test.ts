import { describeWithMongo } from '@roadmap/kit/testing';
import { Types } from 'mongoose';
import {
  createArticle,
  deleteArticle,
  favoriteArticle,
  feedArticles,
  findArticleBySlug,
  listArticles,
  recountFavorites,
  unfavoriteArticle,
  updateArticle,
} from '../src/articles/articles.repository';
import { addComment } from '../src/comments/comments.repository';
import { countCommands } from '../src/mongo/connection';
import { followUser } from '../src/profiles/profiles.repository';
import { insertUser, type User } from '../src/users/users.repository';
import { mongoFixture, type MongoFixture } from './support/mongo';

describeWithMongo('data-nosql articles repository (MongoDB)', () => {
  let fx: MongoFixture;
  let ada: User;
  let bob: User;
  let eve: User;
  beforeAll(async () => {
    fx = await mongoFixture('articles');
    ada = await insertUser(fx.db, { email: 'ada@example.com', username: 'ada' });
    bob = await insertUser(fx.db, { email: 'bob@example.com', username: 'bob' });
    eve = await insertUser(fx.db, { email: 'eve@example.com', username: 'eve' });
  });
  afterAll(() => fx.drop());

  const input = (title: string, tagList: string[] = []) => ({
    title,
    description: `About ${title}`,
    body: `Body of ${title}`,
    tagList,
  });

  it('when an article is created, then it has a slug, clean tags, the author profile and no favorites', async () => {
    const article = await createArticle(
      fx.db,
      ada.id,
      input('How to Train Your Dragon', [' Dragons', 'training', 'dragons']),
    );
    expect(article).toMatchObject({
      slug: 'how-to-train-your-dragon',
      tagList: ['dragons', 'training'],
      favorited: false,
      favoritesCount: 0,
      authorId: ada.id,
      author: { username: 'ada', following: false },
    });
    expect(await findArticleBySlug(fx.db, article.slug, null)).toEqual(article);
  });

  it('when two articles with one title are created at once, then both exist with different slugs', async () => {
    const [a, b] = await Promise.all([
      createArticle(fx.db, ada.id, input('Same Title')),
      createArticle(fx.db, bob.id, input('Same Title')),
    ]);
    expect(new Set([a.slug, b.slug]).size).toBe(2);
    expect([a.slug, b.slug]).toContain('same-title');
    expect([a.slug, b.slug].find((s) => s !== 'same-title')).toMatch(/^same-title-[0-9a-z]{6}$/);
  });

  it('when the author does not exist or is not an id, then create is a 404 and nothing is written', async () => {
    const before = await fx.db.Article.countDocuments();
    await expect(
      createArticle(fx.db, new Types.ObjectId().toHexString(), input('Ghost')),
    ).rejects.toMatchObject({ status: 404 });
    await expect(createArticle(fx.db, 'nobody', input('Ghost'))).rejects.toMatchObject({
      status: 404,
    });
    expect(await fx.db.Article.countDocuments()).toBe(before);
  });

  it('when articles are listed by tag, author or favoriter, then each filter returns the right ones newest first with a count', async () => {
    const t1 = await createArticle(fx.db, bob.id, input('Owls one', ['owls']));
    const t2 = await createArticle(fx.db, bob.id, input('Owls two', ['owls', 'birds']));
    const byTag = await listArticles(fx.db, { tag: 'owls' }, null);
    expect(byTag.articles.map((a) => a.slug)).toEqual([t2.slug, t1.slug]);
    expect(byTag.articlesCount).toBe(2);
    expect(byTag.articles[0]).not.toHaveProperty('body');

    const byAuthor = await listArticles(fx.db, { author: 'BOB' }, null);
    expect(byAuthor.articles.every((a) => a.author.username === 'bob')).toBe(true);
    expect(byAuthor.articlesCount).toBe(
      await fx.db.Article.countDocuments({ author: new Types.ObjectId(bob.id) }),
    );

    await favoriteArticle(fx.db, eve.id, t1.slug);
    const byFan = await listArticles(fx.db, { favorited: 'eve' }, eve.id);
    expect(byFan.articles.map((a) => [a.slug, a.favorited, a.favoritesCount])).toEqual([
      [t1.slug, true, 1],
    ]);

    expect(await listArticles(fx.db, { author: 'nobody' }, null)).toEqual({
      articles: [],
      articlesCount: 0,
    });
    const paged = await listArticles(fx.db, { limit: 1, offset: 1 }, null);
    expect(paged.articles).toHaveLength(1);
    expect(paged.articlesCount).toBe(await fx.db.Article.countDocuments());
  });

  it('when a page is listed, then the number of commands does not grow with the page size (no N+1)', async () => {
    for (let i = 0; i < 6; i++) await createArticle(fx.db, eve.id, input(`Batch ${i}`, ['batch']));
    const small = countCommands(fx.db);
    await listArticles(fx.db, { tag: 'batch', limit: 2 }, ada.id);
    small.stop();
    const large = countCommands(fx.db);
    await listArticles(fx.db, { tag: 'batch', limit: 6 }, ada.id);
    large.stop();
    expect(large.count()).toBe(small.count());
    expect(small.count()).toBeLessThanOrEqual(5); // page, count, authors, follows, favorites
  });

  it('when a user favorites twice, or ten times at once, then there is one favorite and the count is 1', async () => {
    const article = await createArticle(fx.db, ada.id, input('Popular'));
    await favoriteArticle(fx.db, bob.id, article.slug);
    await favoriteArticle(fx.db, bob.id, article.slug);
    await Promise.all(
      Array.from({ length: 10 }, () => favoriteArticle(fx.db, eve.id, article.slug)),
    );
    const after = await findArticleBySlug(fx.db, article.slug, bob.id);
    expect(after).toMatchObject({ favorited: true, favoritesCount: 2 });
    expect(await fx.db.Favorite.countDocuments({ article: new Types.ObjectId(article.id) })).toBe(
      2,
    );

    const unfavorited = await unfavoriteArticle(fx.db, bob.id, article.slug);
    expect(unfavorited).toMatchObject({ favorited: false, favoritesCount: 1 });
    await unfavoriteArticle(fx.db, bob.id, article.slug);
    expect((await findArticleBySlug(fx.db, article.slug, null))!.favoritesCount).toBe(1);
    expect(await favoriteArticle(fx.db, bob.id, 'no-such-slug')).toBeNull();
  });

  it('when a counter has drifted, then recountFavorites repairs it from the favorites collection', async () => {
    const article = await createArticle(fx.db, ada.id, input('Drifted'));
    await favoriteArticle(fx.db, bob.id, article.slug);
    await fx.db.Article.updateOne(
      { _id: new Types.ObjectId(article.id) },
      { $set: { favoritesCount: 7 } },
    );
    expect(await recountFavorites(fx.db)).toBeGreaterThanOrEqual(1);
    expect((await findArticleBySlug(fx.db, article.slug, null))!.favoritesCount).toBe(1);
    expect(await recountFavorites(fx.db)).toBe(0);
  });

  it('when a user follows authors, then the feed shows their articles newest first and following is true', async () => {
    const viewer = await insertUser(fx.db, { email: 'feed@example.com', username: 'feeder' });
    expect(await feedArticles(fx.db, viewer.id)).toEqual({ articles: [], articlesCount: 0 });
    await followUser(fx.db, viewer.id, 'bob');
    const feed = await feedArticles(fx.db, viewer.id, { limit: 50 });
    const bobsArticles = await fx.db.Article.countDocuments({ author: new Types.ObjectId(bob.id) });
    expect(feed.articlesCount).toBe(bobsArticles);
    expect(feed.articles.every((a) => a.author.username === 'bob' && a.author.following)).toBe(
      true,
    );
    const times = feed.articles.map((a) => a.createdAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('when an article is updated with a new title, then its slug follows; a missing article is a 404', async () => {
    const article = await createArticle(fx.db, ada.id, input('Old Title', ['x']));
    const updated = await updateArticle(fx.db, article.id, {
      title: 'New Title',
      tagList: ['Y', 'y'],
    });
    expect(updated).toMatchObject({ slug: 'new-title', title: 'New Title', tagList: ['y'] });
    expect(await findArticleBySlug(fx.db, 'old-title', null)).toBeNull();
    await expect(updateArticle(fx.db, article.id, { description: '' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      updateArticle(fx.db, new Types.ObjectId().toHexString(), { body: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('when an article is deleted, then its comments and favorites go with it', async () => {
    const article = await createArticle(fx.db, ada.id, input('Doomed'));
    await addComment(fx.db, { articleId: article.id, authorId: bob.id, body: 'first' });
    await favoriteArticle(fx.db, bob.id, article.slug);
    expect(await deleteArticle(fx.db, article.id)).toBe(true);
    const id = new Types.ObjectId(article.id);
    expect(await fx.db.Comment.countDocuments({ article: id })).toBe(0);
    expect(await fx.db.Favorite.countDocuments({ article: id })).toBe(0);
    expect(await deleteArticle(fx.db, article.id)).toBe(false);
    expect(await deleteArticle(fx.db, 'not-an-id')).toBe(false);
  });
});

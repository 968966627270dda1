import {
  countRoundTrips,
  createArticle,
  deleteArticle,
  favoriteArticle,
  feedArticles,
  findArticleBySlug,
  findViewerFlags,
  listSlugsByAuthor,
  followUser,
  listArticles,
  listArticlesJson,
  slugify,
  unfavoriteArticle,
  updateArticle,
  type User,
} from '../src';
import { useMigratedDatabase, makeUser, rejection, unique } from './support/database';

const db = useMigratedDatabase('articles');

const draft = (title = unique('How to train your dragon'), tagList?: string[]) => ({
  title,
  description: 'Ever wonder how?',
  body: 'You have to believe',
  ...(tagList ? { tagList } : {}),
});

describe('createArticle', () => {
  test('when created, then the slug comes from the title and tags keep their order without duplicates', async () => {
    const jake = await makeUser(db.pool);
    const title = unique('How to Train Your Dragon!');
    const article = await createArticle(
      db.pool,
      jake.id,
      draft(title, ['dragons', ' training ', 'dragons', '']),
    );
    expect(article).toMatchObject({
      slug: title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/-$/, ''),
      title,
      description: 'Ever wonder how?',
      body: 'You have to believe',
      tagList: ['dragons', 'training'],
      favorited: false,
      favoritesCount: 0,
      authorId: jake.id,
      author: { id: jake.id, username: jake.username, bio: null, image: null, following: false },
    });
    const { rows } = await db.pool.query(
      'SELECT t.name, at.position FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = $1 ORDER BY at.position',
      [article.id],
    );
    expect(rows).toEqual([
      { name: 'dragons', position: 1 },
      { name: 'training', position: 2 },
    ]);
  });

  test('when the title is "Feed", then the slug is not the reserved "feed" (GET /articles/feed is the feed)', async () => {
    expect(slugify('Feed')).toBe('feed-article');
    expect(slugify('Feed!')).toBe('feed-article');
    expect(slugify('Feedback')).toBe('feedback');
    const author = await makeUser(db.pool);
    const first = await createArticle(db.pool, author.id, draft('feed', []));
    const second = await createArticle(db.pool, author.id, draft('FEED', []));
    for (const slug of [first.slug, second.slug]) expect(slug).not.toBe('feed');
    expect(first.slug).toMatch(/^feed-article(-[a-z0-9]{6})?$/);
    expect(second.slug).toMatch(/^feed-article(-[a-z0-9]{6})?$/);
  });

  test('when two articles share a title (even at the same moment), then each gets a distinct slug', async () => {
    const jake = await makeUser(db.pool);
    const title = unique('Same title');
    const articles = await Promise.all(
      [1, 2, 3].map(() => createArticle(db.pool, jake.id, draft(title))),
    );
    const slugs = articles.map((a) => a.slug);
    expect(new Set(slugs).size).toBe(3);
    const base = slugify(title);
    expect(slugs).toContain(base);
    for (const slug of slugs) expect(slug).toMatch(new RegExp(`^${base}(-[a-z0-9]{6})?$`));
  });

  test('when a field breaks a constraint, then a 422 names it and no article or tag link is left behind', async () => {
    const jake = await makeUser(db.pool);
    const error = await rejection(
      createArticle(db.pool, jake.id, { ...draft(), tagList: ['ok', 'x'.repeat(65)] }),
    );
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ tagList: ['each tag must be 1 to 64 characters'] });
    const { rowCount } = await db.pool.query('SELECT 1 FROM articles WHERE author_id = $1', [
      jake.id,
    ]);
    expect(rowCount).toBe(0);
    const empty = await rejection(createArticle(db.pool, jake.id, { ...draft(), description: '' }));
    expect(empty.details).toEqual({ description: ['is invalid'] });
  });

  test('when the author does not exist, then a 404 names user', async () => {
    const error = await rejection(createArticle(db.pool, 2_000_000_000, draft()));
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ user: ['not found'] });
  });
});

describe('findArticleBySlug', () => {
  test('when the viewer favorited it and follows the author, then both flags are true', async () => {
    const jake = await makeUser(db.pool);
    const jane = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft(undefined, ['a']));
    await favoriteArticle(db.pool, jane.id, article.slug);
    await followUser(db.pool, jane.id, jake.username);
    expect(await findArticleBySlug(db.pool, article.slug, jane.id)).toMatchObject({
      favorited: true,
      favoritesCount: 1,
      author: { following: true },
      body: 'You have to believe',
    });
    expect(await findArticleBySlug(db.pool, article.slug, null)).toMatchObject({
      favorited: false,
      favoritesCount: 1,
      author: { following: false },
    });
  });

  test('when the slug does not exist, then null', async () => {
    expect(await findArticleBySlug(db.pool, 'no-such-slug', null)).toBeNull();
  });
});

describe('listArticles and feedArticles', () => {
  let author: User;
  let other: User;
  let fan: User;
  const tag = unique('listtag');
  const slugs: string[] = [];

  beforeAll(async () => {
    author = await makeUser(db.pool, 'author');
    other = await makeUser(db.pool, 'other');
    fan = await makeUser(db.pool, 'fan');
    for (let i = 0; i < 3; i++) {
      slugs.push(
        (await createArticle(db.pool, author.id, draft(`${tag} by author ${i}`, [tag, 'common'])))
          .slug,
      );
    }
    slugs.push((await createArticle(db.pool, other.id, draft(`${tag} by other`, [tag]))).slug);
    await favoriteArticle(db.pool, fan.id, slugs[0]!);
    await favoriteArticle(db.pool, fan.id, slugs[3]!);
    await followUser(db.pool, fan.id, other.username);
  });

  test('when filtered by tag, then newest first, no body, and the count covers all pages', async () => {
    const page = await listArticles(db.pool, { tag, limit: 2 }, fan.id);
    expect(page.articlesCount).toBe(4);
    expect(page.articles.map((a) => a.slug)).toEqual([slugs[3], slugs[2]]);
    expect(page.articles[0]).not.toHaveProperty('body');
    expect(page.articles[0]).toMatchObject({
      favorited: true,
      favoritesCount: 1,
      author: { following: true },
    });
    const next = await listArticles(db.pool, { tag, limit: 2, offset: 2 }, fan.id);
    expect(next.articles.map((a) => a.slug)).toEqual([slugs[1], slugs[0]]);
  });

  test('when filtered by author (any case) and by favorited, then only matching articles, combinable', async () => {
    const byAuthor = await listArticles(db.pool, { author: author.username.toUpperCase() }, null);
    expect(byAuthor.articles.map((a) => a.slug)).toEqual([slugs[2], slugs[1], slugs[0]]);
    expect(byAuthor.articlesCount).toBe(3);
    const favorited = await listArticles(db.pool, { favorited: fan.username }, null);
    expect(favorited.articles.map((a) => a.slug)).toEqual([slugs[3], slugs[0]]);
    const both = await listArticles(
      db.pool,
      { favorited: fan.username, author: author.username, tag },
      null,
    );
    expect(both).toMatchObject({ articlesCount: 1, articles: [{ slug: slugs[0] }] });
  });

  test('when a filter names nothing that exists, then an empty page with count 0', async () => {
    expect(await listArticles(db.pool, { tag: 'no-such-tag' }, null)).toEqual({
      articles: [],
      articlesCount: 0,
    });
    expect(await listArticles(db.pool, { author: 'nobody' }, null)).toEqual({
      articles: [],
      articlesCount: 0,
    });
  });

  test('when listing any page, then exactly 2 round trips are made (no N+1)', async () => {
    const counter = countRoundTrips(db.pool);
    const page = await listArticles(counter.db, { limit: 20 }, fan.id);
    expect(page.articles.length).toBeGreaterThanOrEqual(4);
    expect(counter.count()).toBe(2);
    counter.reset();
    await feedArticles(counter.db, fan.id, { limit: 20 });
    expect(counter.count()).toBe(2);
  });

  test('when the page is built as JSON by PostgreSQL, then it is the object page, field for field, in one round trip', async () => {
    // What conduit's toListItem makes of a row: the list view, in its field order.
    const asView = (page: Awaited<ReturnType<typeof listArticles>>) => ({
      articles: page.articles.map((a) => ({
        slug: a.slug,
        title: a.title,
        description: a.description,
        tagList: a.tagList,
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
        favorited: a.favorited,
        favoritesCount: a.favoritesCount,
        author: {
          username: a.author.username,
          bio: a.author.bio,
          image: a.author.image,
          following: a.author.following,
        },
      })),
      articlesCount: page.articlesCount,
    });
    const filters = [
      { tag, limit: 2 },
      { tag, limit: 2, offset: 2 },
      { author: author.username, favorited: fan.username },
      { tag: 'no-such-tag' },
      { limit: 20 },
    ];
    for (const viewer of [fan.id, null]) {
      for (const filter of filters) {
        const counter = countRoundTrips(db.pool);
        const json = await listArticlesJson(counter.db, filter, viewer);
        expect(counter.count()).toBe(1);
        // Byte for byte what JSON.stringify makes of the object path: same order, same formats.
        expect(json).toBe(JSON.stringify(asView(await listArticles(db.pool, filter, viewer))));
      }
    }
  });

  test('when reading the feed, then only followed authors appear', async () => {
    const feed = await feedArticles(db.pool, fan.id);
    expect(feed).toMatchObject({
      articlesCount: 1,
      articles: [{ slug: slugs[3], author: { following: true } }],
    });
    expect(await feedArticles(db.pool, author.id)).toEqual({ articles: [], articlesCount: 0 });
  });
});

describe('updateArticle', () => {
  test('when the title changes, then the slug follows; given tags replace the old ones', async () => {
    const jake = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft(undefined, ['old']));
    const title = unique('A brand new title');
    const updated = await updateArticle(
      db.pool,
      article.id,
      { title, tagList: ['new1', 'new2'] },
      jake.id,
    );
    expect(updated).toMatchObject({
      id: article.id,
      title,
      slug: title.toLowerCase().replace(/ /g, '-'),
      description: article.description,
      tagList: ['new1', 'new2'],
    });
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(article.updatedAt.getTime());
    expect(await findArticleBySlug(db.pool, article.slug, null)).toBeNull();
  });

  test('when only the body changes, then slug and tags stay', async () => {
    const jake = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft(undefined, ['keep']));
    const updated = await updateArticle(db.pool, article.id, { body: 'New body' });
    expect(updated).toMatchObject({ slug: article.slug, body: 'New body', tagList: ['keep'] });
  });

  test('when the new title collides with another slug, then a suffixed slug is used', async () => {
    const jake = await makeUser(db.pool);
    const taken = await createArticle(db.pool, jake.id, draft());
    const article = await createArticle(db.pool, jake.id, draft());
    const updated = await updateArticle(db.pool, article.id, { title: taken.title });
    expect(updated!.slug).toMatch(new RegExp(`^${taken.slug}-[a-z0-9]{6}$`));
  });

  test('when the article does not exist, then null; a blank title is a 422', async () => {
    expect(await updateArticle(db.pool, 2_000_000_000, { body: 'x' })).toBeNull();
    const jake = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft());
    const error = await rejection(updateArticle(db.pool, article.id, { body: '' }));
    expect(error.details).toEqual({ body: ['is invalid'] });
  });
});

describe('favorites and deleteArticle', () => {
  test('when favoriting twice and unfavoriting twice, then the count goes 0 → 1 → 0', async () => {
    const jake = await makeUser(db.pool);
    const jane = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft());
    expect(await favoriteArticle(db.pool, jane.id, article.slug)).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
    expect(await favoriteArticle(db.pool, jane.id, article.slug)).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
    expect(await unfavoriteArticle(db.pool, jane.id, article.slug)).toMatchObject({
      favorited: false,
      favoritesCount: 0,
    });
    expect(await unfavoriteArticle(db.pool, jane.id, article.slug)).toMatchObject({
      favorited: false,
      favoritesCount: 0,
    });
  });

  test('when the slug does not exist, then favorite and unfavorite return null', async () => {
    const jane = await makeUser(db.pool);
    expect(await favoriteArticle(db.pool, jane.id, 'no-such-slug')).toBeNull();
    expect(await unfavoriteArticle(db.pool, jane.id, 'no-such-slug')).toBeNull();
  });

  test('when an article is deleted, then its tag links, favorites and comments go with it', async () => {
    const jake = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft(undefined, ['gone']));
    await favoriteArticle(db.pool, jake.id, article.slug);
    await db.pool.query('INSERT INTO comments (article_id, author_id, body) VALUES ($1, $2, $3)', [
      article.id,
      jake.id,
      'c',
    ]);
    expect(await deleteArticle(db.pool, article.id)).toBe(true);
    expect(await deleteArticle(db.pool, article.id)).toBe(false);
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM article_tags WHERE article_id = $1)::int AS tags,
              (SELECT count(*) FROM favorites WHERE article_id = $1)::int AS favorites,
              (SELECT count(*) FROM comments WHERE article_id = $1)::int AS comments`,
      [article.id],
    );
    expect(rows).toEqual([{ tags: 0, favorites: 0, comments: 0 }]);
  });
});

describe('findViewerFlags and listSlugsByAuthor', () => {
  test('when a viewer favorites an article and follows its author, then both flags are true, and false for another viewer', async () => {
    const author = await makeUser(db.pool);
    const fan = await makeUser(db.pool);
    const stranger = await makeUser(db.pool);
    const article = await createArticle(db.pool, author.id, draft());
    await favoriteArticle(db.pool, fan.id, article.slug);
    await followUser(db.pool, fan.id, author.username);
    expect(await findViewerFlags(db.pool, fan.id, article.id, author.id)).toEqual({
      favorited: true,
      following: true,
    });
    expect(await findViewerFlags(db.pool, stranger.id, article.id, author.id)).toEqual({
      favorited: false,
      following: false,
    });
  });

  test("when an author has two articles, then listSlugsByAuthor returns both slugs and no one else's", async () => {
    const author = await makeUser(db.pool);
    const other = await makeUser(db.pool);
    const one = await createArticle(db.pool, author.id, draft());
    const two = await createArticle(db.pool, author.id, draft());
    await createArticle(db.pool, other.id, draft());
    expect((await listSlugsByAuthor(db.pool, author.id)).sort()).toEqual(
      [one.slug, two.slug].sort(),
    );
  });
});

import { createArticle, registerUser, useApi, unique, type TestUser } from './helpers';

const t = useApi('articles');
let author: TestUser;
let reader: TestUser;
beforeAll(async () => {
  author = await registerUser(t, 'author');
  reader = await registerUser(t, 'reader');
});

type Body = Record<string, unknown> & { errors?: Record<string, string[]> };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

describe('POST /api/articles', () => {
  it('when the article is valid, then 201 with the full article, tags in the given order', async () => {
    const title = unique('How to train your dragon ');
    const res = await t
      .http()
      .post('/api/articles')
      .set(author.auth)
      .send({
        article: {
          title,
          description: 'Ever wonder how?',
          body: 'You have to believe',
          tagList: ['zeta', 'alpha', 'zeta'],
        },
      })
      .expect(201);
    expect(res.body).toEqual({
      article: {
        slug: expect.stringMatching(/^how-to-train-your-dragon-/),
        title,
        description: 'Ever wonder how?',
        body: 'You have to believe',
        tagList: ['zeta', 'alpha'],
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        favorited: false,
        favoritesCount: 0,
        author: { username: author.username, bio: null, image: null, following: false },
      },
    });
  });

  it('when two articles share a title, then each gets its own slug', async () => {
    const title = unique('Same title ');
    const a = await createArticle(t, author, { title });
    const b = await createArticle(t, author, { title });
    expect(a.slug).not.toBe(b.slug);
    expect(b.slug.startsWith(a.slug)).toBe(true);
  });

  it('when no token is sent, then 401 "is missing" (before any validation)', async () => {
    const res = await t.http().post('/api/articles').send({ article: {} }).expect(401);
    expect(res.body).toMatchObject({ errors: { token: ['is missing'] } });
  });

  it.each([
    ['title', { title: '' }, "can't be blank"],
    ['description', { description: '' }, "can't be blank"],
    ['body', { body: '   ' }, "can't be blank"],
    ['title', { title: 7 }, 'must be a string'],
    ['title', { title: 'x'.repeat(201) }, 'is too long (maximum is 200 characters)'],
    ['tagList', { tagList: 'not-a-list' }, 'must be an array'],
    ['tagList', { tagList: [''] }, "can't be blank"],
    [
      'tagList',
      { tagList: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      'has too many items (maximum is 20)',
    ],
  ])('when %s is %j, then 422 with the spec message', async (field, override, message) => {
    const res = await t
      .http()
      .post('/api/articles')
      .set(author.auth)
      .send({ article: { title: unique('T'), description: 'd', body: 'b', ...override } })
      .expect(422);
    expect((res.body as Body).errors?.[field]).toEqual([message]);
  });

  it('when the body is over the JSON limit, then 413 in the error shape', async () => {
    const res = await t
      .http()
      .post('/api/articles')
      .set(author.auth)
      .send({ article: { title: 't', description: 'd', body: 'x'.repeat(200_000) } })
      .expect(413);
    expect(res.body).toMatchObject({ errors: { body: [expect.stringContaining('larger than')] } });
  });
});

describe('GET /api/articles/:slug', () => {
  it('when the slug exists, then 200 for anyone; favorited/following follow the viewer', async () => {
    const { slug } = await createArticle(t, author, { tagList: ['read'] });
    const anonymous = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(anonymous.body).toMatchObject({
      article: { slug, body: 'body', favorited: false, author: { following: false } },
    });

    await t.http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    await t.http().post(`/api/articles/${slug}/favorite`).set(reader.auth).expect(200);
    const asReader = await t.http().get(`/api/articles/${slug}`).set(reader.auth).expect(200);
    expect(asReader.body).toMatchObject({
      article: { favorited: true, favoritesCount: 1, author: { following: true } },
    });
    // The cached copy must not leak the reader's flags to anyone else.
    const again = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(again.body).toMatchObject({
      article: { favorited: false, favoritesCount: 1, author: { following: false } },
    });
    await t.http().delete(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
  });

  it('when the slug is unknown, then 404 {"article":["not found"]}', async () => {
    const res = await t.http().get('/api/articles/no-such-article').expect(404);
    expect(res.body).toMatchObject({ errors: { article: ['not found'] } });
  });

  it('when the slug is absurdly long, then 422, not a query', async () => {
    const res = await t
      .http()
      .get(`/api/articles/${'a'.repeat(400)}`)
      .expect(422);
    expect(res.body).toMatchObject({ errors: { slug: [expect.any(String)] } });
  });
});

describe('GET /api/articles (list) and /api/articles/feed', () => {
  let lister: TestUser;
  const slugs: string[] = [];
  const tag = unique('tag');
  beforeAll(async () => {
    lister = await registerUser(t, 'lister');
    for (const n of [1, 2, 3])
      slugs.push(
        (await createArticle(t, lister, { title: unique(`List ${n} `), tagList: [tag] })).slug,
      );
    await t.http().post(`/api/articles/${slugs[0]!}/favorite`).set(reader.auth).expect(200);
  });

  it('when filtered by author, then newest first, counted, and without bodies', async () => {
    const res = await t.http().get('/api/articles').query({ author: lister.username }).expect(200);
    const body = res.body as { articles: Record<string, unknown>[]; articlesCount: number };
    expect(body.articlesCount).toBe(3);
    expect(body.articles.map((a) => a.slug)).toEqual([...slugs].reverse());
    for (const article of body.articles) expect(article).not.toHaveProperty('body');
  });

  it('when paginated with limit and offset, then the page moves and the count stays', async () => {
    const res = await t
      .http()
      .get('/api/articles')
      .query({ author: lister.username, limit: 1, offset: 1 })
      .expect(200);
    expect(res.body).toMatchObject({ articlesCount: 3, articles: [{ slug: slugs[1] }] });
  });

  it('when filtered by tag and by favorited, then only the matching articles', async () => {
    const byTag = await t.http().get('/api/articles').query({ tag }).expect(200);
    expect((byTag.body as { articlesCount: number }).articlesCount).toBe(3);
    const byFav = await t
      .http()
      .get('/api/articles')
      .query({ favorited: reader.username, author: lister.username })
      .set(reader.auth)
      .expect(200);
    expect(byFav.body).toMatchObject({
      articlesCount: 1,
      articles: [{ slug: slugs[0], favorited: true, favoritesCount: 1 }],
    });
  });

  it('when the filter names nobody, then an empty page, not an error', async () => {
    const res = await t.http().get('/api/articles').query({ author: 'nobody-at-all' }).expect(200);
    expect(res.body).toEqual({ articles: [], articlesCount: 0 });
  });

  it.each([
    [{ limit: 'abc' }, 'limit'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '-1' }, 'limit'],
    [{ offset: '-5' }, 'offset'],
    [{ offset: '1.5' }, 'offset'],
    [{ offset: '99999999999' }, 'offset'],
    ['tag=a&tag=b', 'tag'],
  ])('when the query is %j, then 422 naming %s', async (query, field) => {
    const res = await t.http().get('/api/articles').query(query).expect(422);
    expect(Object.keys((res.body as Body).errors ?? {})).toEqual([field]);
  });

  it('when the reader follows the author, then the feed lists only their articles, newest first', async () => {
    const follower = await registerUser(t, 'follower');
    const empty = await t.http().get('/api/articles/feed').set(follower.auth).expect(200);
    expect(empty.body).toEqual({ articles: [], articlesCount: 0 });
    await t.http().post(`/api/profiles/${lister.username}/follow`).set(follower.auth).expect(200);
    const feed = await t
      .http()
      .get('/api/articles/feed')
      .query({ limit: 2 })
      .set(follower.auth)
      .expect(200);
    const body = feed.body as {
      articles: { slug: string; author: { following: boolean } }[];
      articlesCount: number;
    };
    expect(body.articlesCount).toBe(3);
    expect(body.articles.map((a) => a.slug)).toEqual([slugs[2], slugs[1]]);
    expect(body.articles.every((a) => a.author.following)).toBe(true);
  });

  it('when the feed is asked for without a token or with a bad limit, then 401 / 422', async () => {
    const anonymous = await t.http().get('/api/articles/feed').expect(401);
    expect(anonymous.body).toMatchObject({ errors: { token: ['is missing'] } });
    const bad = await t
      .http()
      .get('/api/articles/feed')
      .query({ limit: 'x' })
      .set(reader.auth)
      .expect(422);
    expect(bad.body).toMatchObject({ errors: { limit: [expect.any(String)] } });
  });
});

describe('PUT and DELETE /api/articles/:slug', () => {
  it('when the author updates the body, then only the body and updatedAt change', async () => {
    const created = await t
      .http()
      .post('/api/articles')
      .set(author.auth)
      .send({
        article: {
          title: unique('Update me '),
          description: 'd',
          body: 'old',
          tagList: ['a', 'b'],
        },
      })
      .expect(201);
    const before = (
      created.body as { article: { slug: string; createdAt: string; updatedAt: string } }
    ).article;
    const res = await t
      .http()
      .put(`/api/articles/${before.slug}`)
      .set(author.auth)
      .send({ article: { body: 'new' } })
      .expect(200);
    expect(res.body).toMatchObject({
      article: { slug: before.slug, body: 'new', tagList: ['a', 'b'], createdAt: before.createdAt },
    });
    expect((res.body as { article: { updatedAt: string } }).article.updatedAt).not.toBe(
      before.updatedAt,
    );
  });

  it('when the title changes, then the slug follows it and the old slug is gone', async () => {
    const { slug } = await createArticle(t, author);
    const title = unique('Brand new title ');
    const res = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(author.auth)
      .send({ article: { title } })
      .expect(200);
    const next = (res.body as { article: { slug: string } }).article.slug;
    expect(next).toMatch(/^brand-new-title-/);
    await t.http().get(`/api/articles/${slug}`).expect(404);
    await t.http().get(`/api/articles/${next}`).expect(200);
  });

  it('when tagList is [] then tags are removed; when null, then 422', async () => {
    const { slug } = await createArticle(t, author, { tagList: ['x'] });
    const cleared = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(author.auth)
      .send({ article: { tagList: [] } })
      .expect(200);
    expect(cleared.body).toMatchObject({ article: { tagList: [] } });
    const bad = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(author.auth)
      .send({ article: { tagList: null } })
      .expect(422);
    expect(bad.body).toMatchObject({ errors: { tagList: ["can't be blank"] } });
  });

  it('when someone else updates or deletes, then 403 {"article":["forbidden"]} and nothing changes', async () => {
    const { slug } = await createArticle(t, author);
    const put = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(reader.auth)
      .send({ article: { body: 'hijacked' } })
      .expect(403);
    expect(put.body).toMatchObject({ errors: { article: ['forbidden'] } });
    const del = await t.http().delete(`/api/articles/${slug}`).set(reader.auth).expect(403);
    expect(del.body).toMatchObject({ errors: { article: ['forbidden'] } });
    const still = await t.http().get(`/api/articles/${slug}`).expect(200);
    expect(still.body).toMatchObject({ article: { body: 'body' } });
  });

  it('when the slug is unknown, then 404 for update, delete, favorite and unfavorite', async () => {
    for (const [method, path] of [
      ['put', '/api/articles/nope-nope'],
      ['delete', '/api/articles/nope-nope'],
      ['post', '/api/articles/nope-nope/favorite'],
      ['delete', '/api/articles/nope-nope/favorite'],
    ] as const) {
      const res = await t
        .call(method, path)
        .set(author.auth)
        .send({ article: { body: 'x' } })
        .expect(404);
      expect(res.body).toMatchObject({ errors: { article: ['not found'] } });
    }
  });

  it('when no token is sent, then 401 for update, delete, favorite and unfavorite', async () => {
    for (const [method, path] of [
      ['put', '/api/articles/some-slug'],
      ['delete', '/api/articles/some-slug'],
      ['post', '/api/articles/some-slug/favorite'],
      ['delete', '/api/articles/some-slug/favorite'],
    ] as const) {
      const res = await t.http()[method](path).expect(401);
      expect(res.body).toMatchObject({ errors: { token: ['is missing'] } });
    }
  });

  it('when the update body is invalid, then 422', async () => {
    const { slug } = await createArticle(t, author);
    const res = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(author.auth)
      .send({ article: { title: '' } })
      .expect(422);
    expect(res.body).toMatchObject({ errors: { title: ["can't be blank"] } });
  });

  it('when the author deletes, then 204, the row is gone and the slug is 404', async () => {
    const { slug } = await createArticle(t, author);
    const res = await t.http().delete(`/api/articles/${slug}`).set(author.auth).expect(204);
    expect(res.text).toBe('');
    const rows = await t.db.pool.query('SELECT 1 FROM articles WHERE slug = $1', [slug]);
    expect(rows.rowCount).toBe(0);
    await t.http().get(`/api/articles/${slug}`).expect(404);
  });
});

describe('favorites', () => {
  it('when favorited twice and unfavorited, then the count goes 1, 1, 0', async () => {
    const { slug } = await createArticle(t, author);
    const one = await t.http().post(`/api/articles/${slug}/favorite`).set(reader.auth).expect(200);
    expect(one.body).toMatchObject({
      article: { favorited: true, favoritesCount: 1, body: 'body' },
    });
    const twice = await t
      .http()
      .post(`/api/articles/${slug}/favorite`)
      .set(reader.auth)
      .expect(200);
    expect(twice.body).toMatchObject({ article: { favorited: true, favoritesCount: 1 } });
    const none = await t
      .http()
      .delete(`/api/articles/${slug}/favorite`)
      .set(reader.auth)
      .expect(200);
    expect(none.body).toMatchObject({ article: { favorited: false, favoritesCount: 0 } });
  });
});

import { createArticle, registerUser, useApi, unique, type TestUser } from './helpers';

/** Findings of the RealWorld conformance audit, one test each. */
const t = useApi('conformance');
let alice: TestUser;
beforeAll(async () => {
  alice = await registerUser(t, 'alice');
});

describe('slugs', () => {
  it('when an article is titled "Feed", then its slug is not "feed" and GET by slug finds it', async () => {
    const created = await createArticle(t, alice, { title: 'Feed' });
    expect(created.slug).not.toBe('feed');
    const res = await t.http().get(`/api/articles/${created.slug}`).expect(200);
    expect(res.body).toMatchObject({ article: { slug: created.slug, title: 'Feed' } });
    // And the feed is still the feed.
    const feed = await t.http().get('/api/articles/feed').set(alice.auth).expect(200);
    expect(feed.body).toMatchObject({ articles: [], articlesCount: 0 });
  });
});

describe('comment ids', () => {
  it.each(['2147483648', '999999999999999'])(
    'when the comment id %s is beyond a PostgreSQL integer, then 404 {"comment":["not found"]}',
    async (id) => {
      const { slug } = await createArticle(t, alice);
      const res = await t
        .http()
        .delete(`/api/articles/${slug}/comments/${id}`)
        .set(alice.auth)
        .expect(404);
      expect(res.body).toMatchObject({ errors: { comment: ['not found'] } });
    },
  );

  it('when the comment id is the largest integer and unknown, then 404 too', async () => {
    const { slug } = await createArticle(t, alice);
    const res = await t
      .http()
      .delete(`/api/articles/${slug}/comments/2147483647`)
      .set(alice.auth)
      .expect(404);
    expect(res.body).toMatchObject({ errors: { comment: ['not found'] } });
  });

  it('when a comment body holds a NUL character, then 422, not 500', async () => {
    const { slug } = await createArticle(t, alice);
    const res = await t
      .http()
      .post(`/api/articles/${slug}/comments`)
      .set(alice.auth)
      .send({ comment: { body: 'a\u0000b' } });
    expect(res.status).toBe(422);
    expect(res.body).toHaveProperty('errors');
  });
});

describe('query parameters', () => {
  it.each(['tag=', 'author=', 'favorited=', 'tag=&author=&favorited=', 'tag=%20%20'])(
    'when the filter is given empty (%s), then it is ignored like an absent one',
    async (query) => {
      await createArticle(t, alice, { tagList: ['emptyfilter'] });
      const all = await t.http().get('/api/articles').expect(200);
      const res = await t.http().get(`/api/articles?${query}`).expect(200);
      expect(res.body).toEqual(all.body);
      expect((res.body as { articlesCount: number }).articlesCount).toBeGreaterThan(0);
    },
  );

  it.each([
    ['limit=1&limit=2', 'limit'],
    ['offset=0&offset=1', 'offset'],
    ['tag=a&tag=b', 'tag'],
    ['author=a&author=b', 'author'],
  ])('when a parameter is repeated (%s), then 422 "must be given once"', async (query, field) => {
    const res = await t.http().get(`/api/articles?${query}`).expect(422);
    expect(res.body).toMatchObject({ errors: { [field]: ['must be given once'] } });
  });

  it('when the feed gets a repeated limit, then the same 422', async () => {
    const res = await t
      .http()
      .get('/api/articles/feed?limit=1&limit=2')
      .set(alice.auth)
      .expect(422);
    expect(res.body).toMatchObject({ errors: { limit: ['must be given once'] } });
  });
});

describe('empty updates', () => {
  it('when PUT /articles/:slug sends {"article":{}}, then 200 with the article unchanged and updatedAt not bumped', async () => {
    const { slug } = await createArticle(t, alice, { tagList: ['still'] });
    const before = await t.http().get(`/api/articles/${slug}`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(alice.auth)
      .send({ article: {} })
      .expect(200);
    expect(res.body).toEqual(before.body);
    const row = await t.db.pool.query<{ same: boolean }>(
      'SELECT updated_at = created_at AS same FROM articles WHERE slug = $1',
      [slug],
    );
    expect(row.rows[0]?.same).toBe(true);
  });

  it('when PUT /api/user sends {"user":{}}, then it stays a 422 (the spec requires a field)', async () => {
    const res = await t.http().put('/api/user').set(alice.auth).send({ user: {} }).expect(422);
    expect(res.body).toHaveProperty('errors');
  });
});

describe('following yourself', () => {
  it('when alice follows or unfollows herself, then both are 422 {"username":["cannot follow yourself"]}', async () => {
    for (const method of ['post', 'delete'] as const) {
      const res = await t
        .call(method, `/api/profiles/${alice.username}/follow`)
        .set(alice.auth)
        .expect(422);
      expect(res.body).toMatchObject({ errors: { username: ['cannot follow yourself'] } });
    }
  });
});

describe('password change', () => {
  it('when the password changes through PUT /api/user, then refresh tokens of earlier logins stop working', async () => {
    const carol = await registerUser(t, 'carol');
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: carol.email, password: carol.password })
      .expect(200);
    const { refreshToken } = login.body as { refreshToken: string };
    await t
      .http()
      .put('/api/user')
      .set(carol.auth)
      .send({ user: { password: 'a brand new passphrase' } })
      .expect(200);
    const refused = await t.http().post('/api/auth/refresh').send({ refreshToken }).expect(401);
    expect(refused.body).toMatchObject({ errors: { token: ['is invalid'] } });
    const revoked = await t.db.pool.query<{ reason: string }>(
      `SELECT f.revoked_reason AS reason FROM refresh_token_families f
         JOIN users u ON u.id = f.user_id WHERE u.username = $1`,
      [carol.username],
    );
    expect(revoked.rows.map((row) => row.reason)).toEqual(['password-changed']);
  });

  it('when only the bio changes, then earlier logins keep working', async () => {
    const dave = await registerUser(t, 'dave');
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: dave.email, password: dave.password })
      .expect(200);
    const { refreshToken } = login.body as { refreshToken: string };
    await t
      .http()
      .put('/api/user')
      .set(dave.auth)
      .send({ user: { bio: 'hi' } })
      .expect(200);
    await t.http().post('/api/auth/refresh').send({ refreshToken }).expect(200);
  });
});

describe('tags and usernames', () => {
  it('when tags differ in case, then GET /api/tags orders them ignoring case', async () => {
    const mark = unique('m').toLowerCase();
    await createArticle(t, alice, { tagList: [`Zeta${mark}`, `alpha${mark}`, `Beta${mark}`] });
    const res = await t.http().get('/api/tags').expect(200);
    const ours = (res.body as { tags: string[] }).tags.filter((tag) => tag.endsWith(mark));
    expect(ours).toEqual([`alpha${mark}`, `Beta${mark}`, `Zeta${mark}`]);
  });

  it('when a username has unicode letters (jösé), then it registers and its profile is reachable', async () => {
    const username = unique('jösé');
    const res = await t
      .http()
      .post('/api/users')
      .send({
        user: { username, email: `${unique('jose')}@example.com`, password: 'long enough pw' },
      })
      .expect(201);
    expect(res.body).toMatchObject({ user: { username } });
    const profile = await t
      .http()
      .get(`/api/profiles/${encodeURIComponent(username)}`)
      .expect(200);
    expect(profile.body).toMatchObject({ profile: { username } });
  });

  it('when a username arrives decomposed (NFD) in a URL, then it names the same user', async () => {
    const username = unique('jösé').normalize('NFC');
    const res = await t
      .http()
      .post('/api/users')
      .send({
        user: { username, email: `${unique('nfc')}@example.com`, password: 'long enough pw' },
      })
      .expect(201);
    const auth = { Authorization: `Token ${(res.body as { user: { token: string } }).user.token}` };
    await createArticle(t, { ...alice, username, auth });
    const nfd = encodeURIComponent(username.normalize('NFD'));
    expect(nfd).not.toBe(encodeURIComponent(username));

    const profile = await t.http().get(`/api/profiles/${nfd}`).expect(200);
    expect(profile.body).toMatchObject({ profile: { username } });
    const followed = await t.http().post(`/api/profiles/${nfd}/follow`).set(alice.auth).expect(200);
    expect(followed.body).toMatchObject({ profile: { username, following: true } });
    const byAuthor = await t.http().get(`/api/articles?author=${nfd}`).expect(200);
    expect(byAuthor.body).toMatchObject({ articlesCount: 1 });
  });

  it('when a tag is sent decomposed (NFD), then it is the same tag as its composed form', async () => {
    const composed = `café${unique('t').toLowerCase()}`.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    const first = await createArticle(t, alice, { tagList: [decomposed] });
    await createArticle(t, alice, { tagList: [composed] });
    const one = await t.http().get(`/api/articles/${first.slug}`).expect(200);
    expect(one.body).toMatchObject({ article: { tagList: [composed] } });

    const tags = (await t.http().get('/api/tags').expect(200)).body as { tags: string[] };
    expect(tags.tags.filter((tag) => tag.normalize('NFC') === composed)).toEqual([composed]);
    for (const form of [composed, decomposed]) {
      const res = await t
        .http()
        .get(`/api/articles?tag=${encodeURIComponent(form)}`)
        .expect(200);
      expect(res.body).toMatchObject({ articlesCount: 2 });
    }
  });

  it.each(['with space', 'with/slash', '.', '..'])(
    'when a username is "%s", then 422 on username',
    async (username) => {
      const res = await t
        .http()
        .post('/api/users')
        .send({
          user: { username, email: `${unique('bad')}@example.com`, password: 'long enough pw' },
        })
        .expect(422);
      expect(res.body).toMatchObject({ errors: { username: [expect.any(String)] } });
    },
  );
});

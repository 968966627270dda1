import { createArticle, registerUser, useApi, type TestUser } from './helpers';

/**
 * RealWorld front ends have no refresh flow and send their stored token on every request.
 * These tests pin the two rules that keep them working: a bad token on a page anyone may read
 * is treated as anonymous (with a WWW-Authenticate hint), and `user.token` lives longer than
 * the short access tokens of /api/auth/*.
 */
const t = useApi('rwtokens');
let alice: TestUser;
let slug: string;
beforeAll(async () => {
  alice = await registerUser(t, 'alice');
  slug = (await createArticle(t, alice, { tagList: ['tokens'] })).slug;
});

/** The claims of a JWT, read without verifying (the server already did). */
function claimsOf(token: string): { iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    iat: number;
    exp: number;
  };
}

/** A token our keys did not sign: a real one with its signature replaced. */
function forged(token: string): string {
  const [header, payload] = token.split('.');
  return `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
}

async function familiesOf(username: string): Promise<number> {
  const rows = await t.db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM refresh_token_families f JOIN users u ON u.id = f.user_id
      WHERE u.username = $1`,
    [username],
  );
  return Number(rows.rows[0]!.n);
}

describe('an invalid token on optional-auth routes', () => {
  const optional = () => [
    ['/api/articles', 'articles'],
    [`/api/articles/${slug}`, 'article'],
    [`/api/profiles/${alice.username}`, 'profile'],
    [`/api/articles/${slug}/comments`, 'comments'],
    ['/api/tags', 'tags'],
  ];

  it.each(['Token not.a.jwt', 'forged'])(
    'when the header is "%s", then each public read answers 200 as for an anonymous caller, with WWW-Authenticate',
    async (kind) => {
      const header = kind === 'forged' ? `Token ${forged(alice.token)}` : kind;
      for (const [url, key] of optional()) {
        const res = await t.http().get(url!).set('Authorization', header);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(res.body).toHaveProperty(key!);
        expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      }
      const profile = await t
        .http()
        .get(`/api/profiles/${alice.username}`)
        .set('Authorization', header)
        .expect(200);
      expect(profile.body).toMatchObject({ profile: { following: false } });
    },
  );

  it('when the token is valid, then no WWW-Authenticate header is sent', async () => {
    const res = await t.http().get('/api/tags').set(alice.auth).expect(200);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('when the route requires auth, then an invalid token is still 401 {"token":["is invalid"]}', async () => {
    for (const url of ['/api/user', '/api/articles/feed']) {
      const res = await t
        .http()
        .get(url)
        .set('Authorization', `Token ${forged(alice.token)}`);
      expect({ url, status: res.status, body: res.body as unknown }).toMatchObject({
        url,
        status: 401,
        body: { errors: { token: ['is invalid'] } },
      });
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });
});

describe('the lifetime of user.token', () => {
  it('when registering, logging in or reading the user, then user.token lives CONDUIT_TOKEN_TTL_SECONDS (86400)', async () => {
    const registered = claimsOf(alice.token);
    expect(registered.exp - registered.iat).toBe(86400);
    const login = await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: alice.email, password: alice.password } })
      .expect(200);
    const loginClaims = claimsOf((login.body as { user: { token: string } }).user.token);
    expect(loginClaims.exp - loginClaims.iat).toBe(86400);
  });

  it('when logging in through /api/auth/login, then the access token stays short (900 s) with a refresh token', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: alice.email, password: alice.password })
      .expect(200);
    expect(res.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    const claims = claimsOf((res.body as { accessToken: string }).accessToken);
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('when GET and PUT /api/user return a token, then it expires with the presented one and no refresh-token family is created', async () => {
    const before = await familiesOf(alice.username);
    const get = await t.http().get('/api/user').set(alice.auth).expect(200);
    const put = await t
      .http()
      .put('/api/user')
      .set(alice.auth)
      .send({ user: { bio: 'fresh' } })
      .expect(200);
    for (const res of [get, put]) {
      const token = (res.body as { user: { token: string } }).user.token;
      // A front end stores this token; it may not live past the one it showed (a stolen token
      // must not renew itself), so the stored session ends when the first login's token does.
      expect(claimsOf(token).exp).toBeLessThanOrEqual(claimsOf(alice.token).exp);
    }
    expect(await familiesOf(alice.username)).toBe(before);
  });
});

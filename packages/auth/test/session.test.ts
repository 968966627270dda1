import { generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import { updateUser } from '@roadmap/data-sql';
import { APP_ORIGIN, createAuthTestApp, type AuthTestApp } from './support/auth-app';

let t: AuthTestApp;

beforeAll(async () => {
  t = await createAuthTestApp('session');
});
afterAll(() => t.close());

/** The `conduit.sid=…` pair from a response, and the session id inside its signed value. */
function sessionCookie(res: request.Response): { cookie: string; sid: string; attributes: string } {
  const raw = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('conduit.sid='));
  if (!raw) throw new Error(`no session cookie in ${JSON.stringify(res.headers)}`);
  const [pair, ...attributes] = raw.split(';');
  const value = decodeURIComponent(pair!.slice('conduit.sid='.length));
  return { cookie: pair!, sid: value.slice(2).split('.')[0]!, attributes: attributes.join(';') };
}
const stored = async (sid: string) => t.redis.redis.exists(`auth:sess:${sid}`);

async function sessionLogin() {
  const user = await t.createUser();
  const res = await request(t.app)
    .post('/auth/session/login')
    .set('Origin', APP_ORIGIN)
    .send({ email: user.email, password: user.password })
    .expect(200);
  return {
    user,
    ...sessionCookie(res),
    csrfToken: (res.body as { csrfToken: string }).csrfToken,
    body: res.body as Record<string, unknown>,
  };
}

test('when a user logs in, then a hardened cookie names a session stored in Redis with a bounded TTL', async () => {
  const s = await sessionLogin();
  expect(s.body.user).toMatchObject({ username: s.user.username, role: 'user' });
  expect(s.csrfToken).toMatch(/^[0-9a-f]{64,}$/);
  expect(s.attributes).toMatch(/HttpOnly/);
  expect(s.attributes).toMatch(/SameSite=Lax/);
  expect(s.attributes).toMatch(/Path=\//);
  expect(s.attributes).not.toMatch(/Secure/); // SESSION_COOKIE_SECURE=false in tests (no TLS)
  expect(await stored(s.sid)).toBe(1);
  const ttl = await t.redis.redis.ttl(`auth:sess:${s.sid}`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(t.config.SESSION_TTL_SECONDS);
  const me = await request(t.app).get('/auth/session/me').set('Cookie', s.cookie).expect(200);
  expect(me.body).toEqual({
    user: expect.objectContaining({ username: s.user.username }),
    csrfToken: s.csrfToken,
  });
  const probe = await request(t.app).get('/api/probe').set('Cookie', s.cookie).expect(200);
  expect(probe.body.auth).toEqual({
    userId: s.user.id,
    role: 'user',
    via: 'session',
    expiresAt: expect.any(String),
  });
});

test('when a browser that already had a session logs in, then it gets a new session id and the old one is gone (no fixation)', async () => {
  const pre = await request(t.app).get('/auth/session/csrf').expect(200);
  const before = sessionCookie(pre);
  expect(await stored(before.sid)).toBe(1);
  const user = await t.createUser();
  const res = await request(t.app)
    .post('/auth/session/login')
    .set('Origin', APP_ORIGIN)
    .set('Cookie', before.cookie)
    .send({ email: user.email, password: user.password })
    .expect(200);
  const after = sessionCookie(res);
  expect(after.sid).not.toBe(before.sid);
  expect(await stored(before.sid)).toBe(0);
  await request(t.app).get('/auth/session/me').set('Cookie', before.cookie).expect(401);
});

describe('CSRF', () => {
  test('when a session-authenticated state change comes without the CSRF token, then 403 and the handler never runs', async () => {
    const s = await sessionLogin();
    const res = await request(t.app)
      .post('/api/probe')
      .set('Cookie', s.cookie)
      .set('Origin', APP_ORIGIN)
      .expect(403);
    expect(res.body.errors).toEqual({ csrf: ['is invalid'] });
  });

  test('when the CSRF token is wrong, then 403', async () => {
    const s = await sessionLogin();
    const res = await request(t.app)
      .post('/api/probe')
      .set('Cookie', s.cookie)
      .set('Origin', APP_ORIGIN)
      .set(
        'x-csrf-token',
        s.csrfToken.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      )
      .expect(403);
    expect(res.body.errors).toEqual({ csrf: ['is invalid'] });
  });

  test('when the token is right but the Origin is foreign or absent, then 403', async () => {
    const s = await sessionLogin();
    for (const origin of ['https://evil.example', undefined]) {
      const req = request(t.app)
        .post('/api/probe')
        .set('Cookie', s.cookie)
        .set('x-csrf-token', s.csrfToken);
      const res = await (origin ? req.set('Origin', origin) : req).expect(403);
      expect(res.body.errors).toEqual({ csrf: ['is invalid'] });
    }
  });

  test('when the token and the Origin (or a same-origin Referer) are right, then the change goes through', async () => {
    const s = await sessionLogin();
    const res = await request(t.app)
      .post('/api/probe')
      .set('Cookie', s.cookie)
      .set('x-csrf-token', s.csrfToken)
      .set('Origin', APP_ORIGIN)
      .expect(200);
    expect(res.body.auth).toMatchObject({ userId: s.user.id, via: 'session' });
    await request(t.app)
      .post('/api/probe')
      .set('Cookie', s.cookie)
      .set('x-csrf-token', s.csrfToken)
      .set('Referer', `${APP_ORIGIN}/editor`)
      .expect(200);
  });

  test('when a token-authenticated request changes state, then no CSRF token is needed (no ambient credential)', async () => {
    const user = await t.createUser();
    const { accessToken } = await t.auth.issueTokens(user);
    await request(t.app)
      .post('/api/probe')
      .set('Authorization', `Token ${accessToken}`)
      .expect(200);
    const me = await request(t.app)
      .get('/auth/session/me')
      .set('Authorization', `Token ${accessToken}`)
      .expect(200);
    expect(me.body.csrfToken).toBeNull();
    expect(me.headers['set-cookie']).toBeUndefined(); // no session was created for a token client
  });

  test('when the login form is posted from a foreign origin, then 403 (login CSRF)', async () => {
    const user = await t.createUser();
    const res = await request(t.app)
      .post('/auth/session/login')
      .set('Origin', 'https://evil.example')
      .send({ email: user.email, password: user.password })
      .expect(403);
    expect(res.body.errors).toEqual({ csrf: ['is invalid'] });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

test('when the user logs out, then the session is deleted from Redis and the old cookie no longer works', async () => {
  const s = await sessionLogin();
  await request(t.app)
    .post('/auth/session/logout')
    .set('Cookie', s.cookie)
    .set('Origin', APP_ORIGIN)
    .expect(403);
  const res = await request(t.app)
    .post('/auth/session/logout')
    .set('Cookie', s.cookie)
    .set('Origin', APP_ORIGIN)
    .set('x-csrf-token', s.csrfToken)
    .expect(204);
  expect(String(res.headers['set-cookie'])).toMatch(/conduit\.sid=;/);
  expect(await stored(s.sid)).toBe(0);
  const me = await request(t.app).get('/auth/session/me').set('Cookie', s.cookie).expect(401);
  expect(me.body.errors).toEqual({ token: ['is missing'] });
});

test("when the user's password changes, then every session opened with the old one ends (and is deleted); other users' do not", async () => {
  const laptop = await sessionLogin();
  const phone = await request(t.app)
    .post('/auth/session/login')
    .set('Origin', APP_ORIGIN)
    .send({ email: laptop.user.email, password: laptop.user.password })
    .expect(200);
  const phoneSession = sessionCookie(phone);
  const bystander = await sessionLogin();
  await updateUser(t.db.pool, laptop.user.id, {
    passwordHash: await t.auth.passwords.hash('a brand new password'),
  });
  for (const s of [laptop, phoneSession]) {
    const res = await request(t.app).get('/auth/session/me').set('Cookie', s.cookie).expect(401);
    expect(res.body.errors).toEqual({ token: ['is missing'] });
    expect(await stored(s.sid)).toBe(0);
  }
  await request(t.app).get('/auth/session/me').set('Cookie', bystander.cookie).expect(200);
  const again = await request(t.app)
    .post('/auth/session/login')
    .set('Origin', APP_ORIGIN)
    .send({ email: laptop.user.email, password: 'a brand new password' })
    .expect(200);
  await request(t.app)
    .get('/auth/session/me')
    .set('Cookie', sessionCookie(again).cookie)
    .expect(200);
});

test('when the cookie is forged (bad signature or unknown id), then the request is anonymous', async () => {
  const s = await sessionLogin();
  const tampered = s.cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  await request(t.app).get('/auth/session/me').set('Cookie', tampered).expect(401);
  await request(t.app)
    .get('/auth/session/me')
    .set('Cookie', 'conduit.sid=s%3Anope.nope')
    .expect(401);
});

test('when the session is older than the absolute lifetime, then it is refused and deleted even if active', async () => {
  const s = await sessionLogin();
  const key = `auth:sess:${s.sid}`;
  const data = JSON.parse((await t.redis.redis.get(key))!) as { authenticatedAt: number };
  data.authenticatedAt = Date.now() - (t.config.SESSION_ABSOLUTE_TTL_SECONDS + 60) * 1000;
  await t.redis.redis.set(key, JSON.stringify(data), 'EX', 600);
  await request(t.app).get('/auth/session/me').set('Cookie', s.cookie).expect(401);
  expect(await stored(s.sid)).toBe(0);
});

describe('behind a TLS-terminating proxy (SESSION_COOKIE_SECURE=true, trust proxy set)', () => {
  let tls: AuthTestApp;
  beforeAll(async () => {
    tls = await createAuthTestApp('session_tls', { SESSION_COOKIE_SECURE: 'true' });
  });
  afterAll(() => tls.close());

  test('when the proxy says the client used HTTPS, then the cookie is Secure; over plain HTTP no session cookie is sent at all', async () => {
    const user = await tls.createUser();
    const login = () =>
      request(tls.app)
        .post('/auth/session/login')
        .set('Origin', APP_ORIGIN)
        .send({ email: user.email, password: user.password });
    const https = await login().set('X-Forwarded-Proto', 'https').expect(200);
    const { attributes } = sessionCookie(https);
    expect(attributes).toMatch(/; Secure/);
    expect(attributes).toMatch(/HttpOnly/);
    // express-session will not hand a Secure cookie to an insecure connection: without
    // TRUST_PROXY (or over real HTTP) the login "works" but the browser holds no session.
    const http = await login().expect(200);
    expect(http.headers['set-cookie']).toBeUndefined();
  });
});

describe('in production, with SESSION_COOKIE_SECURE unset', () => {
  let prod: AuthTestApp;
  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    prod = await createAuthTestApp('session_prod', {
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      SESSION_SECRET: randomBytes(32).toString('hex'),
    });
  });
  afterAll(() => prod.close());

  test('when a user logs in over HTTPS, then the session cookie is Secure by default', async () => {
    const user = await prod.createUser();
    const res = await request(prod.app)
      .post('/auth/session/login')
      .set('Origin', APP_ORIGIN)
      .set('X-Forwarded-Proto', 'https')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const { attributes } = sessionCookie(res);
    expect(attributes).toMatch(/; Secure/);
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/SameSite=Lax/);
  });
});

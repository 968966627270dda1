import argon2 from 'argon2';
import request from 'supertest';
import { insertUser, findUserById } from '@roadmap/data-sql';
import { createAuthTestApp, type AuthTestApp } from './support/auth-app';

let t: AuthTestApp;

beforeAll(async () => {
  t = await createAuthTestApp('login', {
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_IP: '6',
  });
});
afterAll(() => t.close());

/** Every test plays its own client IP, so per-IP counters never leak between tests. */
let ipCounter = 10;
const nextIp = () => `203.0.113.${ipCounter++}`;
const login = (body: object, ip: string) =>
  request(t.app).post('/api/auth/login').set('X-Forwarded-For', ip).send(body);

describe('passwords', () => {
  test('when a password is hashed, then it is Argon2id at OWASP parameters and verifies only with the same password', async () => {
    const hash = await t.auth.passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(t.auth.passwords.verify(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(t.auth.passwords.verify(hash, 'correct horse battery!')).resolves.toBe(false);
    await expect(t.auth.passwords.verify('not a hash', 'whatever')).resolves.toBe(false);
  });

  test('when a password is shorter than the minimum, then hashing refuses with a 422 naming the field', async () => {
    await expect(t.auth.passwords.hash('short')).rejects.toMatchObject({
      status: 422,
      details: { password: ['is too short (minimum is 8 characters)'] },
    });
  });
});

describe('login', () => {
  test('when the credentials are right, then the user and a token pair come back (no password hash)', async () => {
    const user = await t.createUser();
    const res = await login(
      { email: user.email.toUpperCase(), password: user.password },
      nextIp(),
    ).expect(200);
    expect(res.body.user).toEqual({
      username: user.username,
      email: user.email,
      bio: null,
      image: null,
      role: 'user',
    });
    expect(res.body).toEqual(
      expect.objectContaining({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      }),
    );
    expect(JSON.stringify(res.body)).not.toContain('argon2');
  });

  test('when the email is unknown or the password wrong, then both answers are the same 401 (no user enumeration)', async () => {
    const user = await t.createUser();
    const ip = nextIp();
    const wrong = await login({ email: user.email, password: 'wrong password' }, ip).expect(401);
    const unknown = await login(
      { email: 'nobody@example.com', password: 'wrong password' },
      ip,
    ).expect(401);
    expect(wrong.body.errors).toEqual({ 'email or password': ['is invalid'] });
    expect(unknown.body.errors).toEqual(wrong.body.errors);
  });

  test('when the body is missing fields, then 422 names them', async () => {
    const res = await login({ email: '' }, nextIp()).expect(422);
    expect(Object.keys(res.body.errors as object).sort()).toEqual(['email', 'password']);
  });

  test('when the stored hash was made with older parameters, then a successful login re-hashes it transparently', async () => {
    const old = await argon2.hash('an old password', {
      type: argon2.argon2i,
      memoryCost: 8192,
      timeCost: 1,
      parallelism: 1,
    });
    const user = await insertUser(t.db.pool, {
      email: `old-${ipCounter}@example.com`,
      username: `old_${ipCounter}`,
      passwordHash: old,
    });
    await login({ email: user.email, password: 'an old password' }, nextIp()).expect(200);
    const after = await findUserById(t.db.pool, user.id);
    expect(after?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await login({ email: user.email, password: 'an old password' }, nextIp()).expect(200);
  });
});

describe('throttling', () => {
  test('when an account has had too many attempts, then even the right password gets 429 with Retry-After, from any IP', async () => {
    const user = await t.createUser();
    for (let i = 0; i < 3; i++)
      await login({ email: user.email, password: 'guess' }, nextIp()).expect(401);
    const res = await login({ email: user.email, password: user.password }, nextIp()).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(
      t.config.LOGIN_ACCOUNT_WINDOW_SECONDS,
    );
    expect(res.body.errors).toEqual({
      login: [expect.stringMatching(/^too many requests, retry in \d+s$/)],
    });
  });

  test('when an unknown email is hammered, then it is throttled exactly like a real one', async () => {
    for (let i = 0; i < 3; i++)
      await login({ email: 'ghost@example.com', password: 'guess' }, nextIp()).expect(401);
    await login({ email: 'ghost@example.com', password: 'guess' }, nextIp()).expect(429);
  });

  test('when one IP sprays many accounts, then the per-IP limit stops it while other IPs still log in', async () => {
    const ip = nextIp();
    for (let i = 0; i < 6; i++)
      await login({ email: `spray${i}@example.com`, password: 'guess' }, ip).expect(401);
    const user = await t.createUser();
    const blocked = await login({ email: user.email, password: user.password }, ip).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await login({ email: user.email, password: user.password }, nextIp()).expect(200);
  });

  test('when one IPv6 client rotates through the addresses of its /64, then they all count against one per-IP limit', async () => {
    const network = `2001:db8:${ipCounter++}:1`;
    for (let i = 1; i <= 6; i++)
      await login(
        { email: `v6-${network}-${i}@example.com`, password: 'guess' },
        `${network}::${i}`,
      ).expect(401);
    const user = await t.createUser();
    const blocked = await login(
      { email: user.email, password: user.password },
      `${network}:0:0:0:abcd`,
    ).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The next /64 is someone else.
    await login(
      { email: user.email, password: user.password },
      `2001:db8:${ipCounter++}:1::1`,
    ).expect(200);
  });

  test('when a dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d, then it shares the counter of a.b.c.d', async () => {
    const ip = nextIp();
    for (let i = 0; i < 6; i++)
      await login(
        { email: `mapped-${ip}-${i}@example.com`, password: 'guess' },
        i % 2 ? ip : `::ffff:${ip}`,
      ).expect(401);
    await login({ email: `mapped-${ip}-last@example.com`, password: 'guess' }, ip).expect(429);
  });

  test('when a login succeeds, then the account counter starts over', async () => {
    const user = await t.createUser();
    const ip = nextIp();
    for (let i = 0; i < 2; i++)
      await login({ email: user.email, password: 'guess' }, ip).expect(401);
    await login({ email: user.email, password: user.password }, ip).expect(200);
    for (let i = 0; i < 2; i++)
      await login({ email: user.email, password: 'guess' }, ip).expect(401);
    await login({ email: user.email, password: user.password }, ip).expect(200);
  });

  test('when many guesses arrive at once, then no more than the limit reach the password check', async () => {
    const user = await t.createUser();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => login({ email: user.email, password: 'guess' }, nextIp())),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAuthTestApp, type AuthTestApp } from './support/auth-app';
import { forge, now, pemKeyPair } from './support/jwt-forge';

const keys = pemKeyPair();
let t: AuthTestApp;

beforeAll(async () => {
  t = await createAuthTestApp('refresh', {
    JWT_PRIVATE_KEY: keys.privatePem,
    JWT_PUBLIC_KEY: keys.publicPem,
  });
});
afterAll(() => t.close());

interface Pair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

async function login(): Promise<{ pair: Pair; userId: number }> {
  const user = await t.createUser();
  const res = await request(t.app)
    .post('/api/auth/login')
    .send({ email: user.email, password: user.password })
    .expect(200);
  return { pair: res.body as Pair, userId: user.id };
}
const refresh = (refreshToken: string) =>
  request(t.app).post('/api/auth/refresh').send({ refreshToken });
const familyOf = (token: string) => (jwt.decode(token) as { fam: string }).fam;
async function family(id: string) {
  const { rows } = await t.db.pool.query<{ revoked_reason: string | null; tokens: number }>(
    'SELECT f.revoked_reason, (SELECT count(*)::int FROM refresh_tokens r WHERE r.family_id = f.id) AS tokens FROM refresh_token_families f WHERE f.id = $1',
    [id],
  );
  return rows[0];
}

test('when a client refreshes, then it gets a new pair, the old refresh token is marked used and only hashes are stored', async () => {
  const { pair, userId } = await login();
  expect(pair.expiresIn).toBeGreaterThan(800);
  const res = await refresh(pair.refreshToken).expect(200);
  const next = res.body as Pair & { user: { username: string } };
  expect(next.refreshToken).not.toBe(pair.refreshToken);
  expect(next.user.username).toMatch(/^user_/);
  await request(t.app)
    .get('/api/probe')
    .set('Authorization', `Bearer ${next.accessToken}`)
    .expect(200);

  const { rows } = await t.db.pool.query<{
    token_hash: string;
    used_at: Date | null;
    replaced_by: string | null;
    id: string;
  }>(
    'SELECT r.id, r.token_hash, r.used_at, r.replaced_by FROM refresh_tokens r JOIN refresh_token_families f ON f.id = r.family_id WHERE f.user_id = $1 ORDER BY r.created_at',
    [userId],
  );
  expect(rows).toHaveLength(2);
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  expect(rows.map((r) => r.token_hash)).toEqual([sha(pair.refreshToken), sha(next.refreshToken)]);
  expect(rows[0]!.used_at).toBeInstanceOf(Date);
  expect(rows[0]!.replaced_by).toBe(rows[1]!.id);
  expect(rows[1]!.used_at).toBeNull();
});

test('when a rotated refresh token is presented again, then 401 and the whole family is revoked (the newer token dies too)', async () => {
  const { pair } = await login();
  const second = (await refresh(pair.refreshToken).expect(200)).body as Pair;
  const reuse = await refresh(pair.refreshToken).expect(401);
  expect(reuse.body.errors).toEqual({ token: ['is invalid'] });
  expect(await family(familyOf(pair.refreshToken))).toEqual({ revoked_reason: 'reuse', tokens: 2 });
  const legit = await refresh(second.refreshToken).expect(401);
  expect(legit.body.errors).toEqual({ token: ['is invalid'] });
});

test('when the same refresh token is sent by several requests at once, then exactly one succeeds and no second successor is minted', async () => {
  const { pair } = await login();
  const results = await Promise.all(Array.from({ length: 6 }, () => refresh(pair.refreshToken)));
  const statuses = results.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
  // One successor only; the losers were treated as reuse, so the family is revoked.
  expect(await family(familyOf(pair.refreshToken))).toEqual({ revoked_reason: 'reuse', tokens: 2 });
});

test('when a client logs out, then its refresh token is refused afterwards and the family is marked "logout"', async () => {
  const { pair } = await login();
  await request(t.app)
    .post('/api/auth/logout')
    .send({ refreshToken: pair.refreshToken })
    .expect(204);
  const res = await refresh(pair.refreshToken).expect(401);
  expect(res.body.errors).toEqual({ token: ['is invalid'] });
  expect(await family(familyOf(pair.refreshToken))).toEqual({
    revoked_reason: 'logout',
    tokens: 1,
  });
});

test('when logout gets garbage or no token, then 401 / 422 and nothing is revoked', async () => {
  const bad = await request(t.app)
    .post('/api/auth/logout')
    .send({ refreshToken: 'nope' })
    .expect(401);
  expect(bad.body.errors).toEqual({ token: ['is invalid'] });
  const missing = await request(t.app).post('/api/auth/logout').send({}).expect(422);
  expect(missing.body.errors).toEqual({ refreshToken: [expect.any(String)] });
});

test('when a refresh token is expired, forged, or correctly signed but unknown to the database, then 401', async () => {
  const { pair } = await login();
  const decoded = jwt.decode(pair.refreshToken, { complete: true })!;
  const base = decoded.payload as Record<string, unknown>;
  const expired = forge(
    decoded.header as unknown as Record<string, unknown>,
    { ...base, iat: now() - 100, exp: now() - 10 },
    keys.privateKey,
  );
  const unknown = forge(
    decoded.header as unknown as Record<string, unknown>,
    { ...base, jti: '00000000-0000-4000-8000-000000000000' },
    keys.privateKey,
  );
  const forged = forge(
    decoded.header as unknown as Record<string, unknown>,
    base,
    pemKeyPair().privateKey,
  );
  for (const token of [expired, unknown, forged]) {
    const res = await refresh(token).expect(401);
    expect(res.body.errors).toEqual({ token: ['is invalid'] });
  }
  // The real one still works: none of the above touched its family.
  await refresh(pair.refreshToken).expect(200);
});

test("when every login of a user is revoked (e.g. after a password change), then all their refresh tokens die and others' do not", async () => {
  const user = await t.createUser();
  const phone = await t.auth.issueTokens(user);
  const laptop = await t.auth.issueTokens(user);
  const bystander = await login();
  // The new token generation comes back (access tokens issued before are refused too).
  await expect(t.auth.revokeAllTokens(user.id, 'password-changed')).resolves.toBe(1);
  await refresh(phone.refreshToken).expect(401);
  await refresh(laptop.refreshToken).expect(401);
  await refresh(bystander.pair.refreshToken).expect(200);
});

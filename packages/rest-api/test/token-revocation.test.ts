import { deleteByPrefix } from '@roadmap/kit/testing';
import { registerUser, startApi, type TestApi, type TestUser } from './helpers';

/**
 * Access tokens that can be taken back (issue 19, item 1): an attacker holding a stolen token
 * must lose it when the user logs out everywhere, changes the password, or has the role
 * changed; and the token GET/PUT /api/user hand out never lives longer than the one shown.
 */
let t: TestApi;
beforeAll(async () => {
  t = await startApi('revocation');
});
afterAll(async () => {
  await t?.stop();
});

const exp = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number })
    .exp;
const tokenOf = (body: unknown) => (body as { user: { token: string } }).user.token;
const auth = (token: string) => ({ Authorization: `Token ${token}` });

async function loginShort(user: TestUser) {
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ email: user.email, password: user.password })
    .expect(200);
  return res.body as { accessToken: string; refreshToken: string };
}

async function refused(token: string): Promise<void> {
  const res = await t.http().get('/api/user').set(auth(token)).expect(401);
  expect(res.body).toMatchObject({ errors: { token: ['is invalid'] } });
}

describe('the token GET and PUT /api/user return', () => {
  it('when a 15-minute token is shown, then the token returned expires no later than it, however often it is renewed', async () => {
    const user = await registerUser(t, 'renew');
    let { accessToken: token } = await loginShort(user);
    const deadline = exp(token);
    for (let i = 0; i < 3; i++) {
      const res = await t.http().get('/api/user').set(auth(token)).expect(200);
      token = tokenOf(res.body);
      expect(exp(token)).toBeLessThanOrEqual(deadline);
    }
    const put = await t
      .http()
      .put('/api/user')
      .set(auth(token))
      .send({ user: { bio: 'x' } });
    expect(put.status).toBe(200);
    expect(exp(tokenOf(put.body))).toBeLessThanOrEqual(deadline);
  });
});

describe('every access token issued before', () => {
  it('when the password changes, then older tokens are refused (the attacker’s too); the token of the change works', async () => {
    const user = await registerUser(t, 'pw');
    const stolen = (await loginShort(user)).accessToken;
    const mine = user.token;
    const changed = await t
      .http()
      .put('/api/user')
      .set(auth(mine))
      .send({ user: { password: 'a brand new secret' } })
      .expect(200);
    await refused(stolen);
    await refused(mine);
    const fresh = tokenOf(changed.body);
    await t.http().get('/api/user').set(auth(fresh)).expect(200);
    // And the exact path: the old token cannot mint itself a new one either.
    await refused(stolen);
  });

  it('when the user logs out everywhere, then every access and refresh token issued before is refused', async () => {
    const user = await registerUser(t, 'everywhere');
    const { accessToken, refreshToken } = await loginShort(user);
    await t.http().post('/api/auth/logout-all').set(auth(user.token)).expect(204);
    await refused(user.token);
    await refused(accessToken);
    await t.http().post('/api/auth/refresh').send({ refreshToken }).expect(401);
    // Logging in again works.
    const again = await loginShort(user);
    await t.http().get('/api/user').set(auth(again.accessToken)).expect(200);
  });

  it('when an admin changes the user’s role, then the user’s older tokens are refused; a new login carries the new role', async () => {
    const admin = await registerUser(t, 'admin');
    await t.db.pool.query(
      "UPDATE users SET role = 'admin', token_generation = token_generation + 1 WHERE username = $1",
      [admin.username],
    );
    const adminToken = (await loginShort(admin)).accessToken;
    const user = await registerUser(t, 'promoted');
    await t
      .http()
      .put(`/api/admin/users/${user.username}/role`)
      .set(auth(adminToken))
      .send({ role: 'editor' })
      .expect(200);
    await refused(user.token);
    const again = await loginShort(user);
    const role = (
      JSON.parse(Buffer.from(again.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as {
        role: string;
      }
    ).role;
    expect(role).toBe('editor');
  });

  it('when the cached generation is gone from Redis, then PostgreSQL still refuses the old token', async () => {
    const user = await registerUser(t, 'evicted');
    await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { password: 'another new secret' } })
      .expect(200);
    expect(await deleteByPrefix(t.cache.url, `${t.cache.prefix}auth:tokgen:`)).toBeGreaterThan(0);
    await refused(user.token);
  });
});

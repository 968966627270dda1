import request from 'supertest';
import { findUserById } from '@roadmap/data-sql';
import {
  assertCan,
  can,
  PERMISSIONS,
  permissionsOf,
  type Actor,
  type Permission,
  type Role,
} from '../src';
import { APP_ORIGIN, createAuthTestApp, type AuthTestApp } from './support/auth-app';

describe('policy (no HTTP)', () => {
  const user: Actor = { userId: 1, role: 'user' };
  const editor: Actor = { userId: 2, role: 'editor' };
  const admin: Actor = { userId: 3, role: 'admin' };
  const article = { ownerId: 1, type: 'article' };

  test("when an author acts on their own article, then they may edit and delete it; on someone else's, not", () => {
    expect(can(user, 'article:update', article)).toBe(true);
    expect(can(user, 'article:delete', article)).toBe(true);
    expect(can(user, 'article:update', { ownerId: 99 })).toBe(false);
    // Ids are numbers end to end (a token's subject is parsed once, in actorFromToken): a string
    // id is not an Actor, and were one smuggled in it would own nothing.
    // @ts-expect-error userId must be a number
    expect(can({ userId: '1', role: 'user' }, 'article:update', article)).toBe(false);
  });

  test('when an editor moderates, then any article or comment may be edited/deleted, but users cannot be managed', () => {
    expect(can(editor, 'article:update', article)).toBe(true);
    expect(can(editor, 'article:delete', article)).toBe(true);
    expect(can(editor, 'comment:delete', { ownerId: 42 })).toBe(true);
    expect(can(editor, 'user:set-role')).toBe(false);
  });

  test('when the actor is anonymous, then nothing is allowed and assertCan says 401; a known actor without permission gets 403', () => {
    for (const permission of PERMISSIONS) expect(can(null, permission)).toBe(false);
    expect(() => assertCan(null, 'article:create')).toThrow(
      expect.objectContaining({ status: 401, details: { token: ['is missing'] } }),
    );
    expect(() => assertCan(user, 'user:list')).toThrow(
      expect.objectContaining({ status: 403, details: { user: ['forbidden'] } }),
    );
    expect(() => assertCan(user, 'article:update', { ownerId: 7, type: 'article' })).toThrow(
      expect.objectContaining({ status: 403, details: { article: ['forbidden'] } }),
    );
  });

  test('when roles are compared, then each one holds at least every permission of the one below (user ⊆ editor ⊆ admin)', () => {
    const held = (role: Role) => Object.keys(permissionsOf(role)) as Permission[];
    expect(held('editor')).toEqual(expect.arrayContaining(held('user')));
    expect(held('admin')).toEqual(expect.arrayContaining(held('editor')));
    expect(can(admin, 'user:set-role')).toBe(true);
  });
});

describe('admin endpoints', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('rbac');
  });
  afterAll(() => t.close());

  const tokenOf = async (user: {
    id: number;
    role: 'user' | 'editor' | 'admin';
    tokenGeneration: number;
  }) => `Token ${(await t.auth.issueTokens(user)).accessToken}`;

  test('when anyone but an admin lists users, then 401 (anonymous) or 403 (user, editor); an admin gets the list', async () => {
    const anon = await request(t.app).get('/api/admin/users').expect(401);
    expect(anon.body.errors).toEqual({ token: ['is missing'] });
    for (const role of ['user', 'editor'] as const) {
      const res = await request(t.app)
        .get('/api/admin/users')
        .set('Authorization', await tokenOf(await t.createUser({ role })))
        .expect(403);
      expect(res.body.errors).toEqual({ user: ['forbidden'] });
    }
    const admin = await t.createUser({ role: 'admin', label: 'admin' });
    const res = await request(t.app)
      .get('/api/admin/users?limit=100')
      .set('Authorization', await tokenOf(admin))
      .expect(200);
    expect(res.body.usersCount).toBeGreaterThanOrEqual(3);
    expect(res.body.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: admin.username, role: 'admin' }),
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
  });

  test('when an admin promotes a user, then the role is stored and the next refresh carries it', async () => {
    const admin = await t.createUser({ role: 'admin', label: 'admin' });
    const user = await t.createUser();
    const pair = await t.auth.issueTokens(user);
    const res = await request(t.app)
      .put(`/api/admin/users/${user.username}/role`)
      .set('Authorization', await tokenOf(admin))
      .send({ role: 'editor' })
      .expect(200);
    expect(res.body.user).toMatchObject({ username: user.username, role: 'editor' });
    expect((await findUserById(t.db.pool, user.id))?.role).toBe('editor');
    const refreshed = await t.auth.refresh(pair.refreshToken);
    expect(t.auth.verifyAccessToken(refreshed.accessToken).role).toBe('editor');
  });

  test('when the role is not one of user/editor/admin or the user does not exist, then 422 / 404', async () => {
    const admin = await tokenOf(await t.createUser({ role: 'admin', label: 'admin' }));
    const user = await t.createUser();
    const bad = await request(t.app)
      .put(`/api/admin/users/${user.username}/role`)
      .set('Authorization', admin)
      .send({ role: 'root' })
      .expect(422);
    expect(Object.keys(bad.body.errors as object)).toEqual(['role']);
    const missing = await request(t.app)
      .put('/api/admin/users/nobody-here/role')
      .set('Authorization', admin)
      .send({ role: 'user' })
      .expect(404);
    expect(missing.body.errors).toEqual({ user: ['not found'] });
  });

  test('when the page parameters are out of range or repeated, then 422 with the messages every Conduit route gives', async () => {
    const admin = await tokenOf(await t.createUser({ role: 'admin', label: 'admin' }));
    const outOfRange = await request(t.app)
      .get('/api/admin/users?limit=0&offset=-1')
      .set('Authorization', admin)
      .expect(422);
    expect(outOfRange.body.errors).toEqual({
      limit: ['must be greater than or equal to 1'],
      offset: ['must be greater than or equal to 0'],
    });
    const repeated = await request(t.app)
      .get('/api/admin/users?limit=1&limit=2')
      .set('Authorization', admin)
      .expect(422);
    expect(repeated.body.errors).toEqual({ limit: ['must be given once'] });
  });

  test('when the role body is missing its field or is not JSON, then 422 / 400 in the one error shape', async () => {
    const admin = await tokenOf(await t.createUser({ role: 'admin', label: 'admin' }));
    const user = await t.createUser();
    const blank = await request(t.app)
      .put(`/api/admin/users/${user.username}/role`)
      .set('Authorization', admin)
      .send({})
      .expect(422);
    expect(blank.body.errors).toEqual({ role: ['is invalid'] });
    const malformed = await request(t.app)
      .put(`/api/admin/users/${user.username}/role`)
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"role":')
      .expect(400);
    expect(malformed.body.errors).toEqual({ body: ['is not valid JSON'] });
  });
});

describe('the last admin', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('rbac_last');
  });
  afterAll(() => t.close());

  /** An access token minted with role admin (what the actor held when it was issued). */
  const adminToken = async (user: { id: number; tokenGeneration: number }) =>
    `Token ${(await t.auth.issueTokens({ ...user, role: 'admin' })).accessToken}`;
  const setRole = (authorization: string, target: { username: string }, role: string) =>
    request(t.app)
      .put(`/api/admin/users/${target.username}/role`)
      .set('Authorization', authorization)
      .send({ role });
  const adminsAmong = async (...users: { id: number }[]) =>
    (
      await t.db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND id = ANY($1)",
        [users.map((u) => u.id)],
      )
    ).rows[0]!.n;
  /** Until `n` backends of this test database wait on a lock (row or advisory). */
  async function waitForLockWaiters(n: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (rows[0]!.n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`fewer than ${n} requests ever waited on a lock`);
  }

  const demote = async (
    by: { id: number; tokenGeneration: number },
    target: { username: string },
  ) =>
    request(t.app)
      .put(`/api/admin/users/${target.username}/role`)
      .set(
        'Authorization',
        `Token ${(await t.auth.issueTokens({ ...by, role: 'admin' })).accessToken}`,
      )
      .send({ role: 'user' });

  test('when the only admin tries to demote themself, then 409 and they stay admin', async () => {
    const admin = await t.createUser({ role: 'admin', label: 'admin' });
    const res = await demote(admin, admin);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual({ role: ['cannot remove the last admin'] });
    expect((await findUserById(t.db.pool, admin.id))?.role).toBe('admin');
    await t.db.pool.query('DELETE FROM users WHERE id = $1', [admin.id]);
  });

  test('when two admins demote each other at the same moment, then exactly one succeeds and one admin remains', async () => {
    const a = await t.createUser({ role: 'admin', label: 'admin' });
    const b = await t.createUser({ role: 'admin', label: 'admin' });
    const [tokenA, tokenB] = await Promise.all([adminToken(a), adminToken(b)]);
    // Why hold both rows: each request then gets as far as its UPDATE and waits there, so
    // without serialization both would have read "2 admins" before either wrote — the race
    // happens every run instead of by luck of timing.
    const holder = await t.db.pool.connect();
    let results: request.Response[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM users WHERE id = ANY($1) FOR UPDATE', [[a.id, b.id]]);
      const pending = Promise.all([setRole(tokenA, b, 'user'), setRole(tokenB, a, 'user')]);
      await waitForLockWaiters(2);
      await holder.query('COMMIT');
      results = await pending;
    } finally {
      holder.release();
    }
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    // The loser was no longer an admin when its turn came.
    expect(results.find((r) => r.status === 403)?.body.errors).toEqual({ user: ['forbidden'] });
    expect(await adminsAmong(a, b)).toBe(1);
  });

  test('when a demoted admin still holds an access token saying "admin", then the token is refused (its generation is stale) and the other admins stay', async () => {
    const a = await t.createUser({ role: 'admin', label: 'admin' });
    const b = await t.createUser({ role: 'admin', label: 'admin' });
    const c = await t.createUser({ role: 'admin', label: 'admin' });
    const staleB = await adminToken(b);
    expect((await setRole(await adminToken(a), b, 'user')).status).toBe(200);
    // A role change moves the user's token generation: every token issued before is refused
    // (401), not only at the admin endpoints (which also re-read the role live: 403).
    const demote = await setRole(staleB, c, 'user');
    expect(demote.status).toBe(401);
    expect(demote.body.errors).toEqual({ token: ['is invalid'] });
    const list = await request(t.app).get('/api/admin/users').set('Authorization', staleB);
    expect(list.status).toBe(401);
    expect(await adminsAmong(a, b, c)).toBe(2);
  });

  test('when an admin signed in by session is demoted, then their very next admin request is refused (the session ends with the role change)', async () => {
    const keeper = await t.createUser({ role: 'admin', label: 'admin' });
    const admin = await t.createUser({ role: 'admin', label: 'admin' });
    const login = await request(t.app)
      .post('/auth/session/login')
      .set('Origin', APP_ORIGIN)
      .send({ email: admin.email, password: admin.password })
      .expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    await request(t.app).get('/api/admin/users').set('Cookie', cookie).expect(200);
    expect((await demote(keeper, admin)).status).toBe(200);
    // The session recorded the token generation at login; the role change moved it on.
    const res = await request(t.app).get('/api/admin/users').set('Cookie', cookie).expect(401);
    expect(res.body.errors).toEqual({ token: ['is missing'] });
  });
});

// The HTTP API with real tokens: the auth stage's app signs them and serves its JWKS on a port
// of its own; this service verifies them with the public keys alone.
import request from 'supertest';
import { createTestRedis, requireServices, type TestRedis } from '@roadmap/kit/testing';
import {
  buildApp,
  createNotificationsService,
  JwksVerifier,
  RealtimeHub,
  type JwksVerifierOptions,
  type NotificationsService,
  type PostgresNotificationStore,
} from '../src';
import {
  createPostgresStore,
  event,
  listen,
  newId,
  startAuth,
  type Listening,
  type TestAuth,
  type TestStore,
} from './support';

let db: TestStore<PostgresNotificationStore>;
let redis: TestRedis;
let hub: RealtimeHub;
let service: NotificationsService;
let authA: TestAuth;
let authB: TestAuth;
/** A JWKS endpoint the test controls: serves A's or B's key set, or hangs. */
let jwks: Listening;
let serving: 'A' | 'B' | 'hang' = 'A';
let jwksHits = 0;

beforeAll(async () => {
  await requireServices(['postgres', 'redis']);
  [db, redis, authA, authB] = await Promise.all([
    createPostgresStore('api'),
    createTestRedis('notifications-api'),
    startAuth('api_a'),
    startAuth('api_b'),
  ]);
  hub = await RealtimeHub.connect(redis.url, redis.prefix);
  service = createNotificationsService({ store: db.store, realtime: hub });
  jwks = await listen((_req, res) => {
    jwksHits++;
    if (serving === 'hang') return; // never answers: the verifier's timeout must fire
    const source = serving === 'A' ? authA : authB;
    void fetch(source.jwksUrl)
      .then((r) => r.text())
      .then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
});

afterAll(async () => {
  await jwks?.close();
  await hub?.close();
  await Promise.all([db?.drop(), redis?.cleanup(), authA?.close(), authB?.close()]);
});

function appWith(options: Partial<JwksVerifierOptions> = {}) {
  const verifier = new JwksVerifier({
    url: `${jwks.url}/.well-known/jwks.json`,
    issuer: 'roadmap-conduit',
    audience: 'conduit-api',
    maxLifetimeSeconds: 24 * 60 * 60,
    timeoutMs: 1_000,
    cacheTtlMs: 300_000,
    minRefreshIntervalMs: 0,
    ...options,
  });
  const { app } = buildApp({ service, store: db.store, realtime: hub, verifier, pageMax: 50 });
  return { app, verifier };
}

const auth = (token: string) => ({ Authorization: `Token ${token}` });

interface Item {
  id: string;
  read: boolean;
  actor: { username: string };
}
const items = (res: request.Response) => res.body.notifications as Item[];

describe('authentication', () => {
  beforeEach(() => {
    serving = 'A';
  });

  test('when no token is sent, then 401 with the project error body', async () => {
    const { app } = appWith();
    const res = await request(app).get('/api/notifications').expect(401);
    expect(res.body).toMatchObject({ errors: { token: ['is missing'] } });
    expect(res.headers['www-authenticate']).toContain('Token');
  });

  test('when the token is garbage, unsigned (alg none) or from a stranger, then 401 "is invalid"', async () => {
    const { app } = appWith();
    const none =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ sub: '1', role: 'user' })).toString('base64url') +
      '.';
    for (const token of ['not-a-jwt', none, authB.tokenFor(1)]) {
      const res = await request(app).get('/api/notifications').set(auth(token)).expect(401);
      expect(res.body).toMatchObject({ errors: { token: ['is invalid'] } });
    }
  });

  test('when many requests carry tokens of a known key, then the key set is fetched once', async () => {
    const { app, verifier } = appWith();
    for (let i = 0; i < 5; i++) {
      await request(app)
        .get('/api/notifications')
        .set(auth(authA.tokenFor(newId())))
        .expect(200);
    }
    expect(verifier.fetches).toBe(1);
  });

  test('when auth rotates to a new key, then the unknown kid triggers one refetch and the new token works', async () => {
    const { app, verifier } = appWith();
    await request(app)
      .get('/api/notifications')
      .set(auth(authA.tokenFor(newId())))
      .expect(200);
    serving = 'B';
    const res = await request(app)
      .get('/api/notifications')
      .set(auth(authB.tokenFor(newId())))
      .expect(200);
    expect(res.body).toMatchObject({ notifications: [], unreadCount: 0 });
    expect(verifier.fetches).toBe(2);
  });

  test('when tokens name unknown kids faster than the refresh interval, then auth is not asked again', async () => {
    const { app, verifier } = appWith({ minRefreshIntervalMs: 60_000 });
    await request(app)
      .get('/api/notifications')
      .set(auth(authA.tokenFor(newId())))
      .expect(200);
    for (let i = 0; i < 3; i++) {
      await request(app)
        .get('/api/notifications')
        .set(auth(authB.tokenFor(newId())))
        .expect(401);
    }
    expect(verifier.fetches).toBe(1);
  });

  test('when the key set cannot be fetched in time and none is cached, then 503 (not a hang)', async () => {
    serving = 'hang';
    const { app } = appWith({ timeoutMs: 300 });
    const hitsBefore = jwksHits;
    const res = await request(app)
      .get('/api/notifications')
      .set(auth(authA.tokenFor(1)))
      .expect(503);
    expect(res.body.errors).toBeDefined();
    expect(JSON.stringify(res.body)).not.toContain('at ');
    expect(jwksHits).toBe(hitsBefore + 1);
  });
});

describe('GET /api/notifications and POST /api/notifications/read', () => {
  let app: ReturnType<typeof appWith>['app'];
  const alice = newId();
  let token: string;

  beforeAll(async () => {
    serving = 'A';
    app = appWith().app;
    token = authA.tokenFor(alice);
    const base = Date.parse('2026-03-01T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      await service.handle(
        event(
          'user.followed',
          { followerId: newId(), followerUsername: `fan${i}`, followeeId: alice },
          new Date(base + i * 60_000),
        ),
      );
    }
  });

  test('when listing, then newest first, paged, with the unread count and the documented shape', async () => {
    const first = await request(app).get('/api/notifications?limit=2').set(auth(token)).expect(200);
    expect(first.body).toMatchObject({ unreadCount: 5, limit: 2, offset: 0 });
    expect(first.body.notifications).toEqual([
      expect.objectContaining({
        kind: 'user.followed',
        actor: expect.objectContaining({ username: 'fan4' }),
        article: null,
        read: false,
        createdAt: '2026-03-01T10:04:00.000Z',
      }),
      expect.objectContaining({ actor: expect.objectContaining({ username: 'fan3' }) }),
    ]);
    const third = await request(app)
      .get('/api/notifications?limit=2&offset=4')
      .set(auth(token))
      .expect(200);
    expect(items(third).map((n) => n.actor.username)).toEqual(['fan0']);
  });

  test('when another user lists, then they see none of these', async () => {
    const res = await request(app)
      .get('/api/notifications')
      .set(auth(authA.tokenFor(newId())))
      .expect(200);
    expect(res.body).toMatchObject({ notifications: [], unreadCount: 0 });
  });

  test('when the query is bad, then 422 naming the field', async () => {
    for (const query of ['limit=0', 'limit=abc', 'limit=51', 'offset=-1', 'page=2']) {
      const res = await request(app)
        .get(`/api/notifications?${query}`)
        .set(auth(token))
        .expect(422);
      expect(Object.keys(res.body.errors).length).toBeGreaterThan(0);
    }
    const res = await request(app).get('/api/notifications?limit=0').set(auth(token)).expect(422);
    expect(res.body.errors.limit).toBeDefined();
  });

  test('when some are marked read and then all, then the counts follow and the list shows them read', async () => {
    const list = await request(app).get('/api/notifications').set(auth(token)).expect(200);
    const [a, b] = items(list).map((n) => n.id);
    const some = await request(app)
      .post('/api/notifications/read')
      .set(auth(token))
      .send({ ids: [a, b] })
      .expect(200);
    expect(some.body).toEqual({ marked: 2, unreadCount: 3 });
    // Someone else cannot mark alice's notifications.
    const stranger = await request(app)
      .post('/api/notifications/read')
      .set(auth(authA.tokenFor(newId())))
      .send({ all: true })
      .expect(200);
    expect(stranger.body).toEqual({ marked: 0, unreadCount: 0 });
    const after = await request(app).get('/api/notifications').set(auth(token)).expect(200);
    expect(
      items(after)
        .filter((n) => n.read)
        .map((n) => n.id),
    ).toEqual([a, b]);
    const all = await request(app)
      .post('/api/notifications/read')
      .set(auth(token))
      .send({ all: true })
      .expect(200);
    expect(all.body).toEqual({ marked: 3, unreadCount: 0 });
  });

  test('when the read body is bad, then 422 (or 400 for broken JSON), never a 500', async () => {
    for (const body of [
      {},
      { ids: [] },
      { ids: ['nope'] },
      { all: false },
      { ids: ['x'], all: true },
    ]) {
      const res = await request(app)
        .post('/api/notifications/read')
        .set(auth(token))
        .send(body)
        .expect(422);
      expect(res.body.errors.body[0]).toContain('"all": true');
    }
    await request(app)
      .post('/api/notifications/read')
      .set(auth(token))
      .set('content-type', 'application/json')
      .send('{"ids": [')
      .expect(400);
  });
});

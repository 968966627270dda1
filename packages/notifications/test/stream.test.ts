// Server-Sent Events across instances: a notification stored by one instance reaches a stream
// held by another, through Redis pub/sub.
import { createTestRedis, requireServices, type TestRedis } from '@roadmap/kit/testing';
import {
  buildApp,
  createNotificationsService,
  JwksVerifier,
  RealtimeHub,
  type NotificationsApp,
  type NotificationsService,
  type PostgresNotificationStore,
} from '../src';
import {
  createPostgresStore,
  event,
  listen,
  newId,
  openStream,
  sleep,
  startAuth,
  waitFor,
  type Listening,
  type TestAuth,
  type TestStore,
} from './support';

interface Instance {
  hub: RealtimeHub;
  service: NotificationsService;
  built: NotificationsApp;
  server: Listening;
  streamUrl: string;
}

let db: TestStore<PostgresNotificationStore>;
let redis: TestRedis;
let authApp: TestAuth;
let a: Instance;
let b: Instance;

/** One service instance: its own Redis connections and HTTP server, the shared store and prefix. */
async function startInstance(): Promise<Instance> {
  const hub = await RealtimeHub.connect(redis.url, redis.prefix);
  const service = createNotificationsService({ store: db.store, realtime: hub });
  const verifier = new JwksVerifier({
    url: authApp.jwksUrl,
    issuer: 'roadmap-conduit',
    audience: 'conduit-api',
    maxLifetimeSeconds: 24 * 60 * 60,
    timeoutMs: 2_000,
    cacheTtlMs: 300_000,
    minRefreshIntervalMs: 10_000,
  });
  const built = buildApp({ service, store: db.store, realtime: hub, verifier, heartbeatMs: 1_000 });
  const server = await listen(built.app);
  return { hub, service, built, server, streamUrl: `${server.url}/api/notifications/stream` };
}

beforeAll(async () => {
  await requireServices(['postgres', 'redis']);
  [db, redis, authApp] = await Promise.all([
    createPostgresStore('stream'),
    createTestRedis('notifications-stream'),
    startAuth('stream'),
  ]);
  a = await startInstance();
  b = await startInstance();
});

afterAll(async () => {
  for (const instance of [a, b]) {
    instance?.built.streams.closeAll();
    await instance?.server.close();
    await instance?.hub.close();
  }
  await Promise.all([db?.drop(), redis?.cleanup(), authApp?.close()]);
});

test('when instance B stores a notification, then the recipient’s stream on instance A receives it once, and nobody else’s', async () => {
  const [alice, bob] = [newId(), newId()];
  const aliceStream = await openStream(a.streamUrl, authApp.tokenFor(alice));
  const bobStream = await openStream(b.streamUrl, authApp.tokenFor(bob));
  expect(aliceStream.status).toBe(200);

  const follow = event('user.followed', {
    followerId: bob,
    followerUsername: 'bob',
    followeeId: alice,
  });
  await b.service.handle(follow);
  await waitFor(
    () => aliceStream.events.some((e) => e.event === 'notification'),
    'a pushed notification',
  );
  await b.service.handle(follow); // redelivered: stored nothing, so pushes nothing
  await a.service.handle(follow);
  await sleep(300);

  const pushed = aliceStream.events.filter((e) => e.event === 'notification');
  expect(pushed).toHaveLength(1);
  expect(pushed[0]!.data).toMatchObject({
    kind: 'user.followed',
    actor: { id: bob, username: 'bob' },
    read: false,
    createdAt: follow.occurredAt,
  });
  // The SSE id is the notification's id, the same one the list endpoint returns.
  const stored = await db.store.list(alice, { limit: 10, offset: 0 });
  expect(pushed[0]!.id).toBe(stored.notifications[0]!.id);
  expect(bobStream.events.filter((e) => e.event === 'notification')).toHaveLength(0);
  aliceStream.close();
  bobStream.close();
});

test('when a user has streams on both instances, then both receive the notification', async () => {
  const carol = newId();
  const token = authApp.tokenFor(carol);
  const [onA, onB] = await Promise.all([
    openStream(a.streamUrl, token),
    openStream(b.streamUrl, token),
  ]);
  await a.service.handle(
    event('user.followed', { followerId: newId(), followerUsername: 'erin', followeeId: carol }),
  );
  await waitFor(
    () => [onA, onB].every((s) => s.events.some((e) => e.event === 'notification')),
    'both streams pushed',
  );
  onA.close();
  onB.close();
});

test('when the stream is opened without a valid token, then 401 with the error body, not a stream', async () => {
  const res = await fetch(a.streamUrl);
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(await res.json()).toMatchObject({ errors: { token: ['is missing'] } });
});

test('when the instance shuts down, then its open streams end instead of holding the drain', async () => {
  const stream = await openStream(a.streamUrl, authApp.tokenFor(newId()));
  const ended = new Promise<void>((resolve) => stream.onEnd(resolve));
  expect(a.built.streams.open.size).toBeGreaterThan(0);
  a.built.streams.closeAll();
  await ended;
  expect(a.built.streams.open.size).toBe(0);
});

test('when the instance has lost Redis, then the stream answers 503 with the error body, and the list still works', async () => {
  const c = await startInstance();
  try {
    await c.hub.close(); // as if Redis were gone: every (un)subscribe now fails
    const token = authApp.tokenFor(newId());
    const res = await fetch(c.streamUrl, { headers: { authorization: `Token ${token}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ errors: { body: [expect.stringContaining('live')] } });
    const list = await fetch(`${c.server.url}/api/notifications`, {
      headers: { authorization: `Token ${token}` },
    });
    expect(list.status).toBe(200);
  } finally {
    await c.server.close();
  }
});

// One trace from an HTTP request to a browser's stream: the request writes an outbox row,
// the relay publishes it, the notifications consumer stores the notification and pushes it
// over Redis to the SSE stream — every span in one trace, each the child of the one before.
import { createEvent } from '@roadmap/events';
import { connectBroker, OutboxRelay, Publisher, type Broker } from '@roadmap/events';
import { insertOutboxEvent, withTransaction } from '@roadmap/data-sql';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import { extractTraceContext, SpanKind, withSpan } from '@roadmap/kit';
import { createHttpApp, createMetrics, finishHttpApp } from '@roadmap/kit/express';
import {
  createTestAmqp,
  createTestRedis,
  metricValue,
  requireServices,
  startTestTracing,
  waitFor,
  type TestAmqp,
  type TestDatabase,
  type TestRedis,
  type TestTracing,
} from '@roadmap/kit/testing';
import {
  buildApp,
  createNotificationsConsumer,
  createNotificationsService,
  JwksVerifier,
  RealtimeHub,
  type PostgresNotificationStore,
} from '../src';
import {
  createPostgresStore,
  listen,
  newId,
  openStream,
  startAuth,
  type Listening,
  type TestAuth,
  type TestStore,
} from './support';

let tracing: TestTracing;
let conduitDb: TestDatabase;
let store: TestStore<PostgresNotificationStore>;
let redis: TestRedis;
let authApp: TestAuth;
let mq: TestAmqp;
let broker: Broker;
let hub: RealtimeHub;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  await requireServices(['postgres', 'redis', 'rabbitmq']);
  tracing = startTestTracing();
  [conduitDb, store, redis, authApp, mq] = await Promise.all([
    createMigratedTestDatabase('notif_obs_conduit'),
    createPostgresStore('obs'),
    createTestRedis('notifications-obs'),
    startAuth('obs'),
    createTestAmqp('notifications-obs'),
  ]);
  broker = await connectBroker({ url: mq.url, name: 'notifications-obs-test' });
  hub = await RealtimeHub.connect(redis.url, redis.prefix);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await hub?.close();
  await broker?.close();
  await Promise.all([
    conduitDb?.drop(),
    store?.drop(),
    redis?.cleanup(),
    authApp?.close(),
    mq?.cleanup(),
  ]);
  await tracing?.stop();
});

test('when a request follows a user, then HTTP → outbox insert → relay publish → consume → store → SSE push is one trace, each span the child of the one before', async () => {
  const [follower, followee] = [newId(), newId()];
  const exchange = mq.name('x');
  const queue = mq.name('notifications');
  mq.name('notifications.dlq');
  mq.name('notifications.retry.1');
  const metrics = createMetrics({ service: 'notifications-obs', defaultMetrics: false });

  // The notifications side, as main.ts wires it.
  const service = createNotificationsService({ store: store.store, realtime: hub });
  const consumer = createNotificationsConsumer(broker, service, {
    exchange,
    queue,
    retryDelaysMs: [50],
    deliveryLimit: 3,
    prefetch: 8,
    metrics: metrics.events,
  });
  await consumer.start();
  cleanups.push(() => consumer.stop(2_000));
  const verifier = new JwksVerifier({
    url: authApp.jwksUrl,
    issuer: 'roadmap-conduit',
    audience: 'conduit-api',
    maxLifetimeSeconds: 24 * 60 * 60,
    timeoutMs: 2_000,
    cacheTtlMs: 300_000,
    minRefreshIntervalMs: 10_000,
  });
  const built = buildApp({ service, store: store.store, realtime: hub, verifier, metrics });
  const notificationsServer: Listening = await listen(built.app);
  cleanups.push(() => notificationsServer.close());
  cleanups.push(() => Promise.resolve(built.streams.closeAll()));
  const stream = await openStream(
    `${notificationsServer.url}/api/notifications/stream`,
    authApp.tokenFor(followee),
  );
  cleanups.push(() => Promise.resolve(stream.close()));

  // The relay, as packages/events/src/main.ts wires it.
  const publisher = new Publisher(broker, {
    exchange,
    unroutable: 'report',
    metrics: metrics.events,
  });
  await publisher.start();
  cleanups.push(() => publisher.close());
  const relay = new OutboxRelay({
    pool: conduitDb.pool,
    databaseUrl: conduitDb.url,
    sink: publisher,
    pollIntervalMs: 50,
    metrics: metrics.events,
  });
  relay.start();
  cleanups.push(() => relay.stop());

  // Conduit's side: a request that writes an event to the outbox in its transaction. The
  // SERVER span is what instrumentation-http makes for each request when the SDK runs.
  const { app } = createHttpApp({ name: 'conduit-obs' });
  app.post('/api/profiles/:id/follow', async (req, res) => {
    await withSpan(
      'POST /api/profiles/:username/follow',
      { kind: SpanKind.SERVER, parent: extractTraceContext(req.headers) },
      async () => {
        const event = createEvent({
          type: 'user.followed',
          data: { followerId: follower, followerUsername: 'jake', followeeId: followee },
        });
        await withTransaction(conduitDb.pool, (client) =>
          insertOutboxEvent(client, {
            aggregate: event.aggregateId,
            type: event.type,
            version: event.version,
            payload: event.data,
            eventId: event.id,
          }),
        );
        res.status(200).json({ following: true });
      },
    );
  });
  finishHttpApp(app);
  const conduit = await listen(app);
  cleanups.push(() => conduit.close());

  const response = await fetch(`${conduit.url}/api/profiles/${followee}/follow`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
  await waitFor(
    () => stream.events.some((e) => e.event === 'notification'),
    'the notification reached the stream',
  );
  await waitFor(() => tracing.spans().some((s) => s.name === 'sse push'), 'the push span ended');

  const request = tracing.one('POST /api/profiles/:username/follow');
  const insert = tracing.one('outbox insert', { 'outbox.aggregate': `user:${follower}` });
  const publish = tracing.one('publish user.followed');
  const processing = tracing.one(`process ${queue}`);
  const stored = tracing.one('notifications store');
  const pushed = tracing.one('realtime publish');
  const sse = tracing.one('sse push');
  const chain = [request, insert, publish, processing, stored];
  const traceId = request.spanContext().traceId;
  for (const span of [...chain, pushed, sse]) expect(span.spanContext().traceId).toBe(traceId);
  for (let i = 1; i < chain.length; i++)
    expect(tracing.parentOf(chain[i]!)).toBe(chain[i - 1]!.spanContext().spanId);
  // The push is the consumer's work too; the SSE write is its child across Redis pub/sub.
  expect(tracing.parentOf(pushed)).toBe(processing.spanContext().spanId);
  expect(tracing.parentOf(sse)).toBe(pushed.spanContext().spanId);
  expect([request, publish, processing, pushed, sse].map((s) => s.kind)).toEqual([
    SpanKind.SERVER,
    SpanKind.PRODUCER,
    SpanKind.CONSUMER,
    SpanKind.PRODUCER,
    SpanKind.CONSUMER,
  ]);
  expect(stored.attributes['notifications.created']).toBe(1);

  // The stream got the notification itself, not the trace context it travelled with.
  const notification = stream.events.find((e) => e.event === 'notification')?.data;
  expect(notification).toMatchObject({ kind: 'user.followed' });
  expect(notification).not.toHaveProperty('traceparent');

  expect(
    await metricValue(metrics.registry, 'events_consumed_total', {
      consumer: queue,
      event_type: 'user.followed',
      outcome: 'ack',
    }),
  ).toBe(1);
  expect(
    await metricValue(metrics.registry, 'events_published_total', {
      event_type: 'user.followed',
      outcome: 'confirmed',
    }),
  ).toBe(1);
});

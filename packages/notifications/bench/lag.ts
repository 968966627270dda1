// `pnpm --filter @roadmap/notifications bench`: how long from an event to the notification
// appearing on a user's SSE stream, p50/p99, three paths measured side by side (interleaved,
// one event at a time, so the machine's load hits all three alike):
//  1. baseline — bus publish → a no-op consumer's handler (the broker's share of the lag);
//  2. publish  — bus publish → consumer → PostgreSQL store → Redis pub/sub → SSE frame;
//  3. outbox   — a committed outbox row (what a Conduit write leaves) → relay (NOTIFY) →
//                broker → consumer → store → Redis → SSE frame.
// Every database, queue, exchange and Redis prefix is created for the run and deleted after.
import { performance } from 'node:perf_hooks';
import { insertOutboxEvent, withTransaction } from '@roadmap/data-sql';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import {
  connectBroker,
  Consumer,
  OutboxRelay,
  Publisher,
  createEvent,
  type DomainEvent,
} from '@roadmap/events';
import { createLogger } from '@roadmap/kit';
import { createTestAmqp, createTestRedis } from '@roadmap/kit/testing';
import {
  buildApp,
  createNotificationsConsumer,
  createNotificationsService,
  JwksVerifier,
  RealtimeHub,
} from '../src';
import { createPostgresStore, listen, openStream, startAuth } from '../test/support';

const N = Number(process.env.BENCH_EVENTS ?? 300);
const logger = createLogger({ level: 'warn', name: 'notifications-bench' });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const [mq, redis, store, conduit, auth] = await Promise.all([
    createTestAmqp('notif-bench'),
    createTestRedis('notif-bench'),
    createPostgresStore('bench'),
    createMigratedTestDatabase('notif_bench_outbox'),
    startAuth('bench'),
  ]);
  const exchange = mq.name('x');
  const baselineExchange = mq.name('base.x');
  for (const suffix of ['q', 'q.dlq', 'base.q', 'base.q.dlq']) mq.name(suffix);
  const broker = await connectBroker({ url: mq.url, name: 'notifications-bench', logger });
  const hub = await RealtimeHub.connect(redis.url, redis.prefix, logger);
  const service = createNotificationsService({ store: store.store, realtime: hub, logger });
  const consumer = createNotificationsConsumer(broker, service, {
    exchange,
    queue: mq.name('q'),
    retryDelaysMs: [],
    deliveryLimit: 5,
    prefetch: 32,
    logger,
  });
  const waiting = new Map<string, () => void>();
  const baseline = new Consumer(broker, {
    exchange: baselineExchange,
    queue: mq.name('base.q'),
    bindings: ['user.followed'],
    retryDelaysMs: [],
    deliveryLimit: 5,
    prefetch: 32,
    logger,
    handler: (event) => Promise.resolve(waiting.get(event.id)?.()),
  });
  await Promise.all([consumer.start(), baseline.start()]);
  const publisher = new Publisher(broker, { exchange, logger });
  const baselinePublisher = new Publisher(broker, { exchange: baselineExchange, logger });
  const relayPublisher = new Publisher(broker, { exchange, logger, unroutable: 'report' });
  await Promise.all([publisher.start(), baselinePublisher.start(), relayPublisher.start()]);
  const relay = new OutboxRelay({
    pool: conduit.pool,
    databaseUrl: conduit.url,
    sink: relayPublisher,
    batchSize: 100,
    pollIntervalMs: 1_000,
    logger,
  });
  relay.start();

  const verifier = new JwksVerifier({
    url: auth.jwksUrl,
    issuer: 'roadmap-conduit',
    audience: 'conduit-api',
    maxLifetimeSeconds: 86_400,
    timeoutMs: 2_000,
    cacheTtlMs: 300_000,
    minRefreshIntervalMs: 10_000,
    logger,
  });
  const { app, streams } = buildApp({
    service,
    store: store.store,
    realtime: hub,
    verifier,
    logger,
  });
  const server = await listen(app);
  const recipient = 1;
  const stream = await openStream(
    `${server.url}/api/notifications/stream`,
    auth.tokenFor(recipient),
  );
  // The stream tells notifications apart by the follower's name, unique per event.
  stream.onEvent((received) => {
    const actor = (received.data as { actor?: { username?: string } } | null)?.actor?.username;
    if (actor) waiting.get(actor)?.();
  });

  const arrival = (key: string) =>
    new Promise<void>((resolve) => waiting.set(key, () => (waiting.delete(key), resolve())));
  const followed = (i: number, path: string): DomainEvent =>
    createEvent({
      type: 'user.followed',
      data: { followerId: 10_000 + i, followerUsername: `${path}${i}`, followeeId: recipient },
    });

  const lags = { baseline: [] as number[], publish: [] as number[], outbox: [] as number[] };
  const warmup = 20;
  for (let i = 0; i < N + warmup; i++) {
    const keep = i >= warmup;
    {
      const event = followed(i, 'b');
      const done = arrival(event.id);
      const t0 = performance.now();
      await baselinePublisher.publish(event);
      await done;
      if (keep) lags.baseline.push(performance.now() - t0);
    }
    {
      const event = followed(i, 'p');
      const done = arrival(`p${i}`);
      const t0 = performance.now();
      await publisher.publish(event);
      await done;
      if (keep) lags.publish.push(performance.now() - t0);
    }
    {
      const event = followed(i, 'o');
      const done = arrival(`o${i}`);
      const t0 = performance.now();
      await withTransaction(conduit.pool, (client) =>
        insertOutboxEvent(client, {
          aggregate: event.aggregateId,
          type: event.type,
          version: event.version,
          payload: event.data,
          eventId: event.id,
        }),
      );
      await done;
      if (keep) lags.outbox.push(performance.now() - t0);
    }
  }

  const base = [...lags.baseline].sort((a, b) => a - b);
  const rows = Object.entries(lags).map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      path: name,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      ratio: percentile(sorted, 50) / percentile(base, 50),
    };
  });
  console.log(`\n${N} events per path, one at a time (after ${warmup} warm-up rounds)\n`);
  console.log('| path     | p50 (ms) | p99 (ms) | p50 / baseline |');
  console.log('| -------- | -------- | -------- | -------------- |');
  for (const row of rows) {
    console.log(
      `| ${row.path.padEnd(8)} | ${row.p50.toFixed(2).padStart(8)} | ${row.p99.toFixed(2).padStart(8)} | ${`${row.ratio.toFixed(2)}×`.padStart(14)} |`,
    );
  }

  stream.close();
  streams.closeAll();
  await server.close();
  await relay.stop();
  await Promise.all([consumer.stop(2_000), baseline.stop(2_000)]);
  await Promise.all([publisher.close(), baselinePublisher.close(), relayPublisher.close()]);
  await broker.close();
  await hub.close();
  await Promise.all([store.drop(), conduit.drop(), redis.cleanup(), auth.close()]);
  await mq.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

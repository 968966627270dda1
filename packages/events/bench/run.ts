// `pnpm --filter @roadmap/events bench`: three short measurements on the real broker.
//  1. raw amqplib vs our bus, side by side, same quorum queue type, same message count, same
//     publish window and prefetch: persistent messages, publisher confirms, manual acks.
//  2. end to end (publish → handler, the ack follows at once): events/s and latency percentiles.
//  3. the outbox relay: rows committed in PostgreSQL → confirmed by the broker, events/s.
// Every queue, exchange and database is created for the run and deleted afterwards.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import amqp, { type ConsumeMessage } from 'amqplib';
import { createPool, migrate } from '@roadmap/data-sql';
import { createLogger, serviceUrl } from '@roadmap/kit';
import { createTestDatabase, dropTestDatabase } from '@roadmap/kit/testing';
import {
  connectBroker,
  Consumer,
  createEvent,
  messageOptions,
  OutboxRelay,
  ownedQueues,
  Publisher,
  type DomainEvent,
} from '../src';

const N = Number(process.env.BENCH_EVENTS ?? 20_000);
// Events in flight end to end (published, not yet handled): a closed loop, so latency measures
// the path, not a queue the publisher filled faster than the consumer drains it.
const WINDOW = Number(process.env.BENCH_WINDOW ?? 200);
const PREFETCH = Number(process.env.BENCH_PREFETCH ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const url = serviceUrl('rabbitmq');
const logger = createLogger({ level: 'warn', name: 'events-bench' });
const run = `bench.${randomBytes(3).toString('hex')}`;

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function summarize(latencies: number[], elapsedMs: number): Result {
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round((latencies.length / elapsedMs) * 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Publish time and handling of each event; resolves the lane waiting for it. */
class Tracker {
  readonly latencies: number[] = [];
  private waiting = new Map<string, { at: number; resolve: () => void }>();

  sent(id: string): Promise<void> {
    return new Promise<void>((resolve) => this.waiting.set(id, { at: performance.now(), resolve }));
  }

  handled(id: string): void {
    const entry = this.waiting.get(id);
    if (!entry) return; // a redelivery
    this.waiting.delete(id);
    this.latencies.push(performance.now() - entry.at);
    entry.resolve();
  }
}

function events(count: number): DomainEvent[] {
  return Array.from({ length: count }, (_, i) =>
    createEvent({
      type: 'article.published',
      aggregateId: `article:${(i % 100) + 1}`,
      data: { articleId: i + 1, slug: `s-${i}`, title: 'T', authorId: 1, authorUsername: 'a' },
    }),
  );
}

/** Calls send(i) for 0..count-1 with at most `window` unsettled (published, not handled) at once. */
async function windowed(count: number, window: number, send: (i: number) => Promise<unknown>) {
  let next = 0;
  const lanes = Array.from({ length: window }, async () => {
    while (next < count) await send(next++);
  });
  await Promise.all(lanes);
}

async function rawAmqplib(queue: string, batch: DomainEvent[]): Promise<Result> {
  const pub = await amqp.connect(url);
  const sub = await amqp.connect(url);
  const publishChannel = await pub.createConfirmChannel();
  const consumeChannel = await sub.createChannel();
  // The same path as the bus: a topic exchange routing to a quorum queue.
  const exchange = `${queue}.x`;
  await consumeChannel.assertExchange(exchange, 'topic', { durable: true });
  await consumeChannel.assertQueue(queue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await consumeChannel.bindQueue(queue, exchange, 'article.*');
  await consumeChannel.prefetch(PREFETCH);
  const tracker = new Tracker();
  await consumeChannel.consume(queue, (message: ConsumeMessage | null) => {
    if (!message) return;
    const event = JSON.parse(message.content.toString()) as DomainEvent;
    consumeChannel.ack(message);
    tracker.handled(event.id);
  });
  const started = performance.now();
  await windowed(batch.length, WINDOW, async (i) => {
    const event = batch[i]!;
    const handled = tracker.sent(event.id);
    await new Promise<void>((resolve, reject) =>
      publishChannel.publish(
        exchange,
        event.type,
        Buffer.from(JSON.stringify(event)),
        messageOptions(event),
        (err: unknown) => (err ? reject(new Error('nacked')) : resolve()),
      ),
    );
    await handled;
  });
  const result = summarize(tracker.latencies, performance.now() - started);
  await consumeChannel.deleteQueue(queue);
  await consumeChannel.deleteExchange(exchange);
  await pub.close();
  await sub.close();
  return result;
}

async function ourBus(name: string, batch: DomainEvent[]): Promise<Result> {
  const pubBroker = await connectBroker({ url, name: 'bench-publisher', logger });
  const subBroker = await connectBroker({ url, name: 'bench-consumer', logger });
  const exchange = `${name}.x`;
  const tracker = new Tracker();
  const topology = {
    exchange,
    queue: name,
    bindings: ['article.*'],
    retryDelaysMs: [1_000],
    deliveryLimit: 5,
  };
  const consumer = new Consumer(subBroker, {
    ...topology,
    prefetch: PREFETCH,
    logger,
    // The bus acks right after the handler returns.
    handler: (event) => Promise.resolve(tracker.handled(event.id)),
  });
  await consumer.start();
  const publisher = new Publisher(pubBroker, { exchange, logger });
  await publisher.start();
  const started = performance.now();
  await windowed(batch.length, WINDOW, async (i) => {
    const event = batch[i]!;
    const handled = tracker.sent(event.id);
    await publisher.publish(event);
    await handled;
  });
  const result = summarize(tracker.latencies, performance.now() - started);
  await consumer.stop();
  await publisher.close();
  const admin = await amqp.connect(url);
  const channel = await admin.createChannel();
  for (const queue of ownedQueues(topology)) await channel.deleteQueue(queue);
  await channel.deleteExchange(exchange);
  await admin.close();
  await pubBroker.close();
  await subBroker.close();
  return result;
}

async function relay(count: number): Promise<{ perSecond: number; batch: number }> {
  const batchSize = Number(process.env.RELAY_BATCH_SIZE ?? 500);
  const db = await createTestDatabase({
    name: 'events_bench',
    setup: (u) => migrate(u).then(() => undefined),
  });
  await db.pool.end();
  const pool = createPool(db.url, { max: 4, applicationName: 'bench-relay' });
  const broker = await connectBroker({ url, name: 'bench-relay', logger });
  const exchange = `${run}.relay.x`;
  const queue = `${run}.relay`;
  const admin = await amqp.connect(url);
  const channel = await admin.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, exchange, '#');
  try {
    await pool.query(
      `INSERT INTO outbox (aggregate, type, payload)
       SELECT 'article:' || (n % 100 + 1), 'article.published',
              jsonb_build_object('articleId', n, 'slug', 's-' || n, 'title', 'T',
                                 'authorId', 1, 'authorUsername', 'a')
         FROM generate_series(1, $1::int) AS n`,
      [count],
    );
    const publisher = new Publisher(broker, { exchange, logger });
    await publisher.start();
    const outbox = new OutboxRelay({
      pool,
      databaseUrl: db.url,
      sink: publisher,
      batchSize,
      logger,
    });
    const started = performance.now();
    let moved = 0;
    while (moved < count) moved += await outbox.relayBatch();
    const elapsed = performance.now() - started;
    await publisher.close();
    return { perSecond: Math.round((count / elapsed) * 1000), batch: batchSize };
  } finally {
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
    await admin.close();
    await broker.close();
    await pool.end();
    await dropTestDatabase(db.name);
  }
}

const fmt = (r: Result) =>
  `${String(r.perSecond).padStart(7)} events/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms`;

async function main(): Promise<void> {
  console.log(
    `events bench: ${N} events per run, publish window ${WINDOW}, prefetch ${PREFETCH}, quorum queues, ${ROUNDS} rounds\n`,
  );
  // Warm-up (JIT, broker queue creation paths), not reported.
  await rawAmqplib(`${run}.warm`, events(2_000));
  await ourBus(`${run}.warmbus`, events(2_000));
  const raws: Result[] = [];
  const buses: Result[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternating order, so neither side always runs on a warmer broker.
    const batch = events(N);
    if (round % 2 === 1) {
      raws.push(await rawAmqplib(`${run}.raw${round}`, batch));
      buses.push(await ourBus(`${run}.bus${round}`, events(N)));
    } else {
      buses.push(await ourBus(`${run}.bus${round}`, batch));
      raws.push(await rawAmqplib(`${run}.raw${round}`, events(N)));
    }
    console.log(`round ${round}  raw amqplib  ${fmt(raws.at(-1)!)}`);
    console.log(`round ${round}  our bus      ${fmt(buses.at(-1)!)}`);
  }
  const best = (rs: Result[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const raw = best(raws);
  const bus = best(buses);
  console.log(`\nbest of ${ROUNDS}:`);
  console.log(`  raw amqplib   ${fmt(raw)}`);
  console.log(`  our bus       ${fmt(bus)}`);
  console.log(`  ratio bus/raw ${(bus.perSecond / raw.perSecond).toFixed(2)}×  (target ≥ 0.80×)`);
  const r = await relay(N);
  console.log(`\noutbox relay (PostgreSQL → broker, batch ${r.batch}): ${r.perSecond} events/s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

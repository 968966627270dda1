import { insertOutboxEvent, outboxBacklog, withTransaction } from '@roadmap/data-sql';
import { createTestAmqp, type TestAmqp } from '@roadmap/kit/testing';
import {
  connectBroker,
  Consumer,
  OutboxRelay,
  Publisher,
  type Broker,
  type DomainEvent,
} from '../src';
import {
  consumerQueue,
  createEventsDatabase,
  TcpProxy,
  waitFor,
  type EventsDatabase,
} from './support';

let db: EventsDatabase;
let mq: TestAmqp;
let broker: Broker;

beforeAll(async () => {
  [db, mq] = await Promise.all([createEventsDatabase('relay'), createTestAmqp('events-relay')]);
  broker = await connectBroker({ url: mq.url, name: 'events-relay-test' });
});

/** Relays still running when a test fails are stopped here, before the database is dropped. */
const running: OutboxRelay[] = [];
function started(relay: OutboxRelay): OutboxRelay {
  running.push(relay);
  relay.start();
  return relay;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((relay) => relay.stop()));
});

afterAll(async () => {
  await broker.close();
  await mq.cleanup();
  await db.drop();
});

const data = (n: number) => ({
  articleId: n,
  slug: `a-${n}`,
  title: `Article ${n}`,
  authorId: 1,
  authorUsername: 'alice',
});

/** Writes events the way a Conduit service does: inside its own transaction. */
async function writeEvents(aggregates: string[], perAggregate: number, offset = 0): Promise<void> {
  for (let i = 0; i < perAggregate; i++) {
    await withTransaction(db.pool, async (client) => {
      for (const aggregate of aggregates) {
        await insertOutboxEvent(client, {
          aggregate,
          type: 'article.published',
          payload: data(offset + i + 1),
        });
      }
    });
  }
}

async function collect(suffix: string) {
  const exchange = mq.name(`${suffix}.x`);
  const received: DomainEvent[] = [];
  const consumer = new Consumer(broker, {
    exchange,
    queue: consumerQueue(mq, suffix, 0),
    bindings: ['#'],
    retryDelaysMs: [],
    deliveryLimit: 3,
    prefetch: 200,
    handler: async (event) => {
      received.push(event);
    },
  });
  await consumer.start();
  return { exchange, received, consumer };
}

const unpublished = async () => (await outboxBacklog(db.pool)).unpublished;

describe('outbox relay', () => {
  test('when a write commits, then a NOTIFY wakes the relay, the event is published with its envelope and the row is marked', async () => {
    const { exchange, received, consumer } = await collect('notify');
    const publisher = new Publisher(broker, { exchange, unroutable: 'report' });
    await publisher.start();
    // Polling every minute: only the NOTIFY can make this test pass in time.
    const relay = new OutboxRelay({
      pool: db.pool,
      databaseUrl: db.url,
      sink: publisher,
      pollIntervalMs: 60_000,
    });
    started(relay);
    await waitFor(() => relay.stats.listening, 'LISTEN connection');
    const row = await withTransaction(db.pool, (client) =>
      insertOutboxEvent(client, {
        aggregate: 'article:77',
        type: 'article.published',
        payload: data(77),
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    );
    await waitFor(() => received.some((e) => e.id === row.eventId), 'the event', 10_000);
    expect(received.find((e) => e.id === row.eventId)).toEqual({
      id: row.eventId,
      type: 'article.published',
      version: 1,
      occurredAt: row.createdAt.toISOString(),
      aggregateId: 'article:77',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: data(77),
    });
    await waitFor(async () => (await unpublished()) === 0, 'row marked published');
    await relay.stop();
    await consumer.stop();
    await publisher.close();
  });

  test('when a write rolls back, then no event is published', async () => {
    const before = (await db.pool.query('SELECT 1 FROM outbox')).rowCount;
    await expect(
      withTransaction(db.pool, async (client) => {
        await insertOutboxEvent(client, {
          aggregate: 'article:1',
          type: 'article.published',
          payload: data(1),
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await db.pool.query('SELECT 1 FROM outbox')).rowCount).toBe(before);
  });

  test('when two relays run at once, then every event is published exactly once and in order per aggregate', async () => {
    const { exchange, received, consumer } = await collect('two');
    // More aggregates than a batch holds: while one relay holds some aggregates, the other can
    // claim the rest (a relay claims an aggregate's rows only while it holds its lock).
    const aggregates = Array.from({ length: 40 }, (_, i) => `article:${200 + i}`);
    await writeEvents(aggregates, 20); // 800 rows, interleaved across aggregates
    const publishers = [new Publisher(broker, { exchange }), new Publisher(broker, { exchange })];
    await Promise.all(publishers.map((p) => p.start()));
    const published: string[][] = [[], []];
    const relays = publishers.map(
      (publisher, i) =>
        new OutboxRelay({
          pool: db.pool,
          databaseUrl: db.url,
          batchSize: 10,
          pollIntervalMs: 50,
          sink: {
            publish: (event) => {
              published[i]!.push(event.id);
              return publisher.publish(event);
            },
          },
        }),
    );
    relays.forEach(started);
    await waitFor(() => received.length >= 800, '800 events', 30_000);
    await Promise.all(relays.map((r) => r.stop()));
    // Both relays did part of the work, and no event id was published twice.
    expect(published[0]!.length).toBeGreaterThan(0);
    expect(published[1]!.length).toBeGreaterThan(0);
    expect(published[0]!.length + published[1]!.length).toBe(800);
    expect(new Set([...published[0]!, ...published[1]!]).size).toBe(800);
    expect(received).toHaveLength(800);
    for (const aggregate of aggregates) {
      const order = received
        .filter((e) => e.aggregateId === aggregate)
        .map((e) => (e.data as { articleId: number }).articleId);
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
    expect(await unpublished()).toBe(0);
    await consumer.stop();
    await Promise.all(publishers.map((p) => p.close()));
  });

  test('when the broker is unreachable, then rows stay unpublished and go out once it is back', async () => {
    const { exchange, received, consumer } = await collect('outage');
    const proxy = await TcpProxy.forUrl(mq.url).start();
    const viaProxy = await connectBroker({ url: proxy.url(mq.url), name: 'relay-outage' });
    const publisher = new Publisher(viaProxy, { exchange, timeoutMs: 500 });
    await publisher.start();
    proxy.setDown(true);
    const relay = new OutboxRelay({
      pool: db.pool,
      databaseUrl: db.url,
      sink: publisher,
      pollIntervalMs: 50,
    });
    started(relay);
    await writeEvents(['article:300'], 5);
    await waitFor(() => relay.stats.lastError !== undefined, 'a failed batch');
    const backlog = await outboxBacklog(db.pool);
    expect(backlog.unpublished).toBe(5);
    expect(backlog.oldestAgeMs).toBeGreaterThan(0);
    expect(received).toHaveLength(0);
    proxy.setDown(false);
    await waitFor(() => received.length === 5, 'the five events after recovery', 30_000);
    // The consumer can see an event before the relay's COMMIT marks its row.
    await waitFor(async () => (await unpublished()) === 0, 'rows marked published');
    await relay.stop();
    await publisher.close();
    await viaProxy.close();
    await proxy.close();
    await consumer.stop();
  });
});

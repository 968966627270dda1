// The bus's traces and metrics: a publish and a consume make a PRODUCER and a CONSUMER span
// in one parent/child chain (traceparent in the message headers), the relay continues the
// trace its outbox row stored, and every outcome is counted under the documented names.
import { Writable } from 'node:stream';
import amqp, { type ChannelModel } from 'amqplib';
import { insertOutboxEvent, withTransaction } from '@roadmap/data-sql';
import { createLogger, SpanKind, withSpan } from '@roadmap/kit';
import { createMetrics, type Metrics } from '@roadmap/kit/express';
import {
  createTestAmqp,
  dropTestDatabase,
  metricValue,
  startTestTracing,
  waitFor,
  type TestAmqp,
  type TestTracing,
} from '@roadmap/kit/testing';
import {
  connectBroker,
  Consumer,
  OutboxRelay,
  Publisher,
  type Broker,
  type DomainEvent,
  type Handler,
} from '../src';
import {
  articlePublished,
  consumerQueue,
  createEventsDatabase,
  type EventsDatabase,
} from './support';

let mq: TestAmqp;
let broker: Broker;
let raw: ChannelModel;
let tracing: TestTracing;
let metrics: Metrics;
const consumers: Consumer[] = [];
const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
});

beforeAll(async () => {
  tracing = startTestTracing();
  mq = await createTestAmqp('events-obs');
  broker = await connectBroker({ url: mq.url, name: 'events-obs-test' });
  raw = await amqp.connect(mq.url);
});
beforeEach(() => {
  tracing.reset();
  lines.length = 0;
  metrics = createMetrics({ service: 'events-obs', defaultMetrics: false });
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop(2_000)));
});
afterAll(async () => {
  await raw.close();
  await broker.close();
  await mq.cleanup();
  await tracing.stop();
});

async function startConsumer(suffix: string, handler: Handler) {
  const retryDelaysMs = [30];
  const exchange = mq.name(`${suffix}.x`);
  const queue = consumerQueue(mq, suffix, retryDelaysMs.length);
  const consumer = new Consumer(broker, {
    exchange,
    queue,
    bindings: ['article.*'],
    retryDelaysMs,
    deliveryLimit: 3,
    handler,
    logger,
    metrics: metrics.events,
  });
  await consumer.start();
  consumers.push(consumer);
  const publisher = new Publisher(broker, {
    exchange,
    timeoutMs: 5_000,
    unroutable: 'report',
    metrics: metrics.events,
  });
  await publisher.start();
  return { publisher, exchange, queue };
}

describe('traces across the bus', () => {
  test('when a traced request publishes and a consumer handles it, then request → PRODUCER → CONSUMER is one chain, the header carries the PRODUCER span and the handler logs its ids', async () => {
    const headers: Record<string, unknown>[] = [];
    const { publisher, queue, exchange } = await startConsumer('trace', async (event) => {
      logger.info({ eventId: event.id }, 'handled in the consumer');
    });
    // A second queue bound to the same exchange, read raw, to see the headers on the wire.
    const tap = await raw.createChannel();
    const tapQueue = mq.name('trace.tap');
    await tap.assertQueue(tapQueue, { durable: false });
    await tap.bindQueue(tapQueue, exchange, 'article.*');
    const event = articlePublished();
    await withSpan('POST /api/articles', { kind: SpanKind.SERVER }, () => publisher.publish(event));
    await waitFor(() => lines.some((l) => l.msg === 'handled in the consumer'), 'handler ran');
    await waitFor(async () => {
      const message = await tap.get(tapQueue, { noAck: true });
      if (message) headers.push(message.properties.headers ?? {});
      return headers.length > 0;
    }, 'the tap got the message');
    await tap.close();

    const request = tracing.one('POST /api/articles');
    const publish = tracing.one('publish article.published');
    await waitFor(() => tracing.spans().some((s) => s.name === `process ${queue}`), 'span ended');
    const processing = tracing.one(`process ${queue}`);
    const traceId = request.spanContext().traceId;
    expect([publish.kind, processing.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER]);
    for (const span of [publish, processing]) expect(span.spanContext().traceId).toBe(traceId);
    expect(tracing.parentOf(publish)).toBe(request.spanContext().spanId);
    expect(tracing.parentOf(processing)).toBe(publish.spanContext().spanId);
    expect(processing.attributes['messaging.consume.outcome']).toBe('ack');
    expect(String(headers[0]?.traceparent)).toBe(
      `00-${traceId}-${publish.spanContext().spanId}-01`,
    );
    expect(lines.find((l) => l.msg === 'handled in the consumer')).toMatchObject({
      eventId: event.id,
      trace_id: traceId,
      span_id: processing.spanContext().spanId,
    });
  });

  test('when the relay publishes an outbox row written in a traced request, then its PRODUCER span is the child of the row’s "outbox insert" span', async () => {
    const db: EventsDatabase = await createEventsDatabase('obs');
    try {
      const { publisher } = await startConsumer('relay', async () => undefined);
      const event = articlePublished();
      await withSpan('POST /api/articles', { kind: SpanKind.SERVER }, () =>
        withTransaction(db.pool, (client) =>
          insertOutboxEvent(client, {
            aggregate: event.aggregateId,
            type: event.type,
            payload: event.data,
            eventId: event.id,
          }),
        ),
      );
      const relay = new OutboxRelay({
        pool: db.pool,
        databaseUrl: db.url,
        sink: publisher,
        metrics: metrics.events,
        outbox: 'test',
      });
      const backlog = await metrics.registry.metrics();
      expect(backlog).toContain('outbox_backlog_events{outbox="test",service="events-obs"} 1');
      expect(await relay.relayBatch()).toBe(1);
      expect(await relay.relayBatch()).toBe(0);

      const insert = tracing.one('outbox insert');
      const publish = tracing.one('publish article.published');
      expect(tracing.parentOf(insert)).toBe(tracing.one('POST /api/articles').spanContext().spanId);
      expect(tracing.parentOf(publish)).toBe(insert.spanContext().spanId);

      const text = await metrics.registry.metrics();
      expect(text).toContain('outbox_backlog_events{outbox="test",service="events-obs"} 0');
      expect(text).toContain(
        'outbox_oldest_event_age_seconds{outbox="test",service="events-obs"} 0',
      );
      // Only the batch that moved a row is a batch: the empty poll is not observed.
      expect(
        await metricValue(metrics.registry, 'outbox_relay_batch_duration_seconds_count', {
          outcome: 'ok',
        }),
      ).toBe(1);
    } finally {
      await db.pool.end();
      await dropTestDatabase(db.name);
    }
  });
});

describe('event metrics', () => {
  test('when events are acked, retried, dead-lettered or unreadable, then each outcome is counted, with handler time, lag and the dead-letter queue depth', async () => {
    const handled: DomainEvent[] = [];
    const { publisher, queue, exchange } = await startConsumer('metrics', async (event) => {
      if (event.data && (event.data as { title?: string }).title === 'poison') {
        throw new Error('cannot handle this one');
      }
      handled.push(event);
    });
    const good = articlePublished();
    const poison = { ...articlePublished(), data: { ...articlePublished().data, title: 'poison' } };
    await publisher.publish(good);
    await publisher.publish(poison);
    // Broken JSON: the contract check sends it straight to the dead-letter queue.
    const channel = await raw.createChannel();
    channel.publish(exchange, 'article.published', Buffer.from('{not json'), { persistent: true });
    await channel.close();
    // No queue is bound for comment.added on this exchange: the broker returns it.
    await publisher.publish({ ...articlePublished(), type: 'comment.added' });

    const consumed = (outcome: string, event_type = 'article.published') =>
      metricValue(metrics.registry, 'events_consumed_total', {
        consumer: queue,
        event_type,
        outcome,
      });
    await waitFor(
      async () =>
        (await consumed('dead_lettered')) === 1 &&
        (await consumed('dead_lettered', 'invalid')) === 1,
      'the poison and the unreadable message are dead-lettered',
    );
    expect(handled.map((e) => e.id)).toEqual([good.id]);
    expect(await consumed('ack')).toBe(1);
    expect(await consumed('retry')).toBe(1);
    const published = (outcome: string, event_type = 'article.published') =>
      metricValue(metrics.registry, 'events_published_total', { event_type, outcome });
    expect(await published('confirmed')).toBe(2);
    expect(await published('unroutable', 'comment.added')).toBe(1);
    // The handler ran three times: the good event, the poison and its retry.
    expect(
      await metricValue(metrics.registry, 'events_handler_duration_seconds_count', {
        consumer: queue,
      }),
    ).toBe(3);
    // Lag is observed on first attempts only (a retry's delay is deliberate).
    expect(
      await metricValue(metrics.registry, 'events_consumer_lag_seconds_count', { consumer: queue }),
    ).toBe(2);
    expect(
      await metricValue(metrics.registry, 'events_dead_letter_queue_messages', {
        queue: `${queue}.dlq`,
      }),
    ).toBe(2);
    const dead = tracing
      .named(`process ${queue}`)
      .filter((s) => s.attributes['messaging.consume.outcome'] === 'dead_lettered');
    expect(dead).toHaveLength(2);
  });
});

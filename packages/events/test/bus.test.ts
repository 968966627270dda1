import amqp, { type ChannelModel, type GetMessage } from 'amqplib';
import { createTestAmqp, type TestAmqp } from '@roadmap/kit/testing';
import {
  connectBroker,
  Consumer,
  Publisher,
  UnroutableError,
  HEADERS,
  createEvent,
  type Broker,
  type DomainEvent,
  type Handler,
} from '../src';
import { articlePublished, consumerQueue, sleep, waitFor } from './support';

let mq: TestAmqp;
let broker: Broker;
let raw: ChannelModel;
const consumers: Consumer[] = [];

beforeAll(async () => {
  mq = await createTestAmqp('events-bus');
  broker = await connectBroker({ url: mq.url, name: 'events-bus-test' });
  raw = await amqp.connect(mq.url);
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop(2_000)));
});

afterAll(async () => {
  await raw.close();
  await broker.close();
  await mq.cleanup();
});

/** A consumer on its own queue and exchange; retries are fast so tests stay short. */
async function startConsumer(
  suffix: string,
  handler: Handler,
  opts: { retryDelaysMs?: number[]; deliveryLimit?: number; prefetch?: number } = {},
) {
  const retryDelaysMs = opts.retryDelaysMs ?? [50, 100];
  const exchange = mq.name(`${suffix}.x`);
  const queue = consumerQueue(mq, suffix, retryDelaysMs.length);
  const consumer = new Consumer(broker, {
    exchange,
    queue,
    bindings: ['article.*', 'comment.added'],
    retryDelaysMs,
    deliveryLimit: opts.deliveryLimit ?? 3,
    prefetch: opts.prefetch ?? 16,
    handler,
  });
  await consumer.start();
  consumers.push(consumer);
  const publisher = new Publisher(broker, { exchange, timeoutMs: 5_000 });
  await publisher.start();
  return { consumer, publisher, exchange, queue, dlq: `${queue}.dlq` };
}

/** Reads every message now in a queue (acking them), for assertions on the DLQ. */
async function drain(queue: string): Promise<GetMessage[]> {
  const channel = await raw.createChannel();
  const messages: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) break;
    messages.push(message);
  }
  await channel.close();
  return messages;
}

describe('bus', () => {
  test('when an event is published, then the consumer gets the same envelope as a persistent message with its trace context', async () => {
    const seen: DomainEvent[] = [];
    const { publisher, queue, exchange } = await startConsumer('roundtrip', async (event) => {
      seen.push(event);
    });
    // A second queue on the same exchange lets the test read the message as it travelled.
    const tap = mq.name('roundtrip.tap');
    const tapChannel = await raw.createChannel();
    await tapChannel.assertQueue(tap, { durable: false });
    await tapChannel.bindQueue(tap, exchange, '#');
    const event = createEvent({
      type: 'comment.added',
      aggregateId: 'article:5',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: {
        commentId: 1,
        articleId: 5,
        articleSlug: 'five',
        articleAuthorId: 2,
        authorId: 3,
        authorUsername: 'carol',
        excerpt: 'Nice',
      },
    });
    await expect(publisher.publish(event)).resolves.toEqual({ routed: true });
    await waitFor(() => seen.length === 1, 'delivery');
    expect(seen[0]).toEqual(event);
    const copy = await tapChannel.get(tap, { noAck: true });
    expect(copy && copy.properties).toMatchObject({
      deliveryMode: 2,
      messageId: event.id,
      type: 'comment.added',
      contentType: 'application/json',
      headers: { traceparent: event.traceparent, 'x-event-version': 1 },
    });
    expect(copy && copy.fields.routingKey).toBe('comment.added');
    await tapChannel.close();
    // Acked: nothing is left in the queue.
    await sleep(100);
    const channel = await raw.createChannel();
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    await channel.close();
    await publisher.close();
  });

  test('when no queue is bound for a type, then the broker returns the message and publish says so', async () => {
    const exchange = mq.name('unrouted.x');
    const strict = new Publisher(broker, { exchange });
    await strict.start();
    const event = createEvent({
      type: 'user.followed',
      aggregateId: 'user:1',
      data: { followerId: 1, followerUsername: 'a', followeeId: 2 },
    });
    await expect(strict.publish(event)).rejects.toBeInstanceOf(UnroutableError);
    const lenient = new Publisher(broker, { exchange, unroutable: 'report' });
    await lenient.start();
    await expect(lenient.publish(event)).resolves.toEqual({ routed: false });
    await strict.close();
    await lenient.close();
  });

  test('when the publisher channel dies of a channel error, then publish fails once and the next publish goes out on a new channel', async () => {
    const seen: DomainEvent[] = [];
    const { publisher, exchange, queue } = await startConsumer('reopen', async (event) => {
      seen.push(event);
    });
    // Deleting the exchange under the publisher makes its next publish a 404 channel error.
    const admin = await raw.createChannel();
    await admin.deleteExchange(exchange);
    await expect(publisher.publish(articlePublished())).rejects.toThrow();
    // The new channel re-declares the exchange; the binding went with it, so re-bind the queue.
    await waitFor(() => publisher.ready, 'a new publisher channel');
    await admin.bindQueue(queue, exchange, 'article.*');
    await admin.close();
    const event = articlePublished();
    await expect(publisher.publish(event)).resolves.toEqual({ routed: true });
    await waitFor(() => seen.some((e) => e.id === event.id), 'delivery after reopening');
    await publisher.close();
  });

  test('when a handler fails once, then the message is retried after the delay and handled on attempt 2', async () => {
    const attempts: number[] = [];
    const { publisher, dlq } = await startConsumer('retry-once', async (_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('flaky dependency');
    });
    await publisher.publish(articlePublished());
    await waitFor(() => attempts.length === 2, 'second attempt');
    expect(attempts).toEqual([1, 2]);
    await sleep(150);
    expect(await drain(dlq)).toHaveLength(0);
    await publisher.close();
  });

  test('when a handler always throws, then the message ends in the DLQ with its reason after every retry, and messages behind it keep flowing', async () => {
    const poison = articlePublished('article:666');
    const handled: string[] = [];
    const attempts: number[] = [];
    const { publisher, dlq } = await startConsumer(
      'poison',
      async (event, ctx) => {
        if (event.id === poison.id) {
          attempts.push(ctx.attempt);
          throw new Error('cannot handle article 666');
        }
        handled.push(event.id);
      },
      { retryDelaysMs: [50, 100] },
    );
    const behind = Array.from({ length: 20 }, (_, i) => articlePublished(`article:${1000 + i}`));
    await publisher.publish(poison);
    await Promise.all(behind.map((e) => publisher.publish(e)));
    await waitFor(() => handled.length === 20, 'messages behind the poison one');
    await waitFor(async () => attempts.length === 3, 'three attempts');
    let dead: GetMessage[] = [];
    await waitFor(async () => (dead = await drain(dlq)).length === 1, 'a dead letter');
    const headers = dead[0]!.properties.headers!;
    expect(JSON.parse(dead[0]!.content.toString())).toEqual(poison);
    expect(headers[HEADERS.failureCode]).toBe('handler_failed');
    expect(headers[HEADERS.failureReason]).toBe('cannot handle article 666');
    expect(headers[HEADERS.attempt]).toBe(3);
    expect(headers[HEADERS.originalRoutingKey]).toBe('article.published');
    expect(dead[0]!.properties.messageId).toBe(poison.id);
    expect(attempts).toEqual([1, 2, 3]);
    expect(new Set(handled)).toEqual(new Set(behind.map((e) => e.id)));
    await publisher.close();
  });

  test('when a message has an unknown version or breaks its schema, then it goes to the DLQ at once with the reason and the handler never sees it', async () => {
    const handled: DomainEvent[] = [];
    const { exchange, dlq } = await startConsumer('invalid', async (event) => {
      handled.push(event);
    });
    const channel = await raw.createConfirmChannel();
    const future = { ...articlePublished(), version: 2 };
    const broken = { ...articlePublished(), data: { articleId: 'not a number' } };
    const good = articlePublished();
    for (const body of [future, broken, good]) {
      channel.publish(exchange, 'article.published', Buffer.from(JSON.stringify(body)));
    }
    await channel.waitForConfirms();
    await channel.close();
    await waitFor(() => handled.length === 1, 'the valid message');
    expect(handled[0]!.id).toBe(good.id);
    let dead: GetMessage[] = [];
    await waitFor(async () => (dead = dead.concat(await drain(dlq))).length === 2, 'two dead');
    const byId = new Map(dead.map((m) => [JSON.parse(m.content.toString()).id, m]));
    expect(byId.get(future.id)!.properties.headers![HEADERS.failureCode]).toBe('unknown_version');
    expect(byId.get(future.id)!.properties.headers![HEADERS.failureReason]).toContain('version 2');
    expect(byId.get(broken.id)!.properties.headers![HEADERS.failureCode]).toBe('invalid_data');
    expect(byId.get(broken.id)!.properties.headers![HEADERS.attempt]).toBe(1);
  });

  test('when a message keeps being redelivered unacked, then the quorum queue dead-letters it after x-delivery-limit', async () => {
    // A consumer that crashes before acking looks to the broker like a requeue; simulate
    // that with nack(requeue) on a plain channel subscribed to the bus's queue.
    const { consumer, publisher, queue, dlq } = await startConsumer('limit', async () => {}, {
      deliveryLimit: 2,
    });
    await consumer.stop();
    consumers.splice(consumers.indexOf(consumer), 1);
    const channel = await raw.createChannel();
    let deliveries = 0;
    await channel.consume(queue, (message) => {
      if (!message) return;
      deliveries++;
      channel.nack(message, false, true);
    });
    const event = articlePublished();
    await publisher.publish(event);
    let dead: GetMessage[] = [];
    await waitFor(async () => (dead = await drain(dlq)).length === 1, 'dead-lettered by broker');
    await channel.close();
    expect(deliveries).toBe(3); // the first delivery plus two redeliveries
    const death = (dead[0]!.properties.headers!['x-death'] as Array<{ reason: string }>)[0]!;
    expect(death.reason).toBe('delivery_limit');
    expect(JSON.parse(dead[0]!.content.toString()).id).toBe(event.id);
    await publisher.close();
  });

  test('when events of one aggregate are handled concurrently with others, then each aggregate sees its events in order', async () => {
    const seen = new Map<string, number[]>();
    const { publisher } = await startConsumer(
      'order',
      async (event) => {
        await sleep(Math.random() * 5);
        const id = (event.data as { articleId: number }).articleId;
        const list = seen.get(event.aggregateId) ?? [];
        list.push(id);
        seen.set(event.aggregateId, list);
      },
      { prefetch: 50 },
    );
    const sent: DomainEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const aggregate = `agg:${i % 4}`;
      const event = createEvent({
        type: 'article.updated',
        aggregateId: aggregate,
        data: { articleId: i + 1, slug: 's', authorId: 1, changed: ['body'] },
      });
      sent.push(event);
    }
    await Promise.all(sent.map((e) => publisher.publish(e)));
    await waitFor(() => [...seen.values()].reduce((n, l) => n + l.length, 0) === 100, 'all');
    for (let a = 0; a < 4; a++) {
      const expected = sent
        .filter((e) => e.aggregateId === `agg:${a}`)
        .map((e) => (e.data as { articleId: number }).articleId);
      expect(seen.get(`agg:${a}`)).toEqual(expected);
    }
    await publisher.close();
  });

  test('when the consumer is stopped while a handler runs, then the handler finishes and its message is acked, not redelivered', async () => {
    let release!: () => void;
    const started: string[] = [];
    const finished: string[] = [];
    const { consumer, publisher, queue } = await startConsumer('graceful', async (event) => {
      started.push(event.id);
      await new Promise<void>((resolve) => (release = resolve));
      finished.push(event.id);
    });
    const event = articlePublished();
    await publisher.publish(event);
    await waitFor(() => started.length === 1, 'handler started');
    const stopped = consumer.stop(5_000);
    await sleep(50);
    release();
    await stopped;
    consumers.splice(consumers.indexOf(consumer), 1);
    expect(finished).toEqual([event.id]);
    const channel = await raw.createChannel();
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    await channel.close();
    await publisher.close();
  });
});

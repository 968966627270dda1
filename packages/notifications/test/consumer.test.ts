// The consumer on the real RabbitMQ and the real PostgreSQL store: every event delivered twice
// must have its effects once; a message that breaks its contract ends in the dead-letter queue.
import amqp, { type ChannelModel, type GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  connectBroker,
  HEADERS,
  Publisher,
  type Broker,
  type Consumer,
  type DomainEvent,
} from '@roadmap/events';
import {
  createTestAmqp,
  createTestRedis,
  requireServices,
  type TestAmqp,
  type TestRedis,
} from '@roadmap/kit/testing';
import {
  createNotificationsConsumer,
  createNotificationsService,
  RealtimeHub,
  type Notification,
  PostgresNotificationStore,
} from '../src';
import { createPostgresStore, event, newId, waitFor, type TestStore } from './support';

let mq: TestAmqp;
let redis: TestRedis;
let db: TestStore<PostgresNotificationStore>;
let broker: Broker;
let raw: ChannelModel;
let hub: RealtimeHub;
let consumer: Consumer;
let publisher: Publisher;
let exchange: string;
let dlq: string;
const handled: DomainEvent[] = [];

beforeAll(async () => {
  await requireServices(['postgres', 'redis', 'rabbitmq']);
  mq = await createTestAmqp('notifications-consumer');
  redis = await createTestRedis('notifications-consumer');
  db = await createPostgresStore('consumer');
  broker = await connectBroker({ url: mq.url, name: 'notifications-consumer-test' });
  raw = await amqp.connect(mq.url);
  hub = await RealtimeHub.connect(redis.url, redis.prefix);
  const service = createNotificationsService({ store: db.store, realtime: hub });
  exchange = mq.name('x');
  const retryDelaysMs = [50, 100];
  const queue = mq.name('q');
  dlq = mq.name('q.dlq');
  retryDelaysMs.forEach((_, i) => mq.name(`q.retry.${i + 1}`));
  consumer = createNotificationsConsumer(broker, service, {
    exchange,
    queue,
    retryDelaysMs,
    deliveryLimit: 5,
    prefetch: 16,
    afterHandle: async (e) => void handled.push(e),
  });
  await consumer.start();
  publisher = new Publisher(broker, { exchange, timeoutMs: 5_000 });
  await publisher.start();
});

afterAll(async () => {
  await consumer?.stop(2_000);
  await publisher?.close();
  await broker?.close();
  await raw?.close();
  await hub?.close();
  await db?.drop();
  await redis?.cleanup();
  await mq?.cleanup();
});

/** Publishes each event twice in a row, as a relay that crashed before marking would. */
async function publishTwice(events: DomainEvent[]): Promise<void> {
  const before = handled.length;
  for (const e of events) {
    await publisher.publish(e);
    await publisher.publish(e);
  }
  await waitFor(() => handled.length >= before + events.length * 2, 'every copy handled');
}

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

const page = async (userId: number) =>
  (await db.store.list(userId, { limit: 100, offset: 0 })).notifications;

test('when every event is delivered twice, then each notification exists once and is pushed once', async () => {
  const [alice, bob, carol] = [newId(), newId(), newId()];
  const pushed: Notification[] = [];
  for (const user of [alice, bob, carol]) await hub.subscribe(user, (n) => pushed.push(n));
  const articleId = newId();
  const article = {
    articleId,
    slug: `hello-${articleId}`,
    title: 'Hello',
    authorId: alice,
    authorUsername: 'alice',
  };

  // Phase 1: the follower projection (follows of different users are different streams, so
  // the test waits for them before publishing the article that fans out to them).
  await publishTwice([
    event('user.followed', { followerId: bob, followerUsername: 'bob', followeeId: alice }),
    event('user.followed', { followerId: carol, followerUsername: 'carol', followeeId: alice }),
  ]);
  expect(await db.store.followersOf(alice)).toEqual([bob, carol]);

  // Phase 2: one article stream, in order.
  await publishTwice([
    event('article.published', article),
    event('comment.added', {
      commentId: newId(),
      articleId,
      articleSlug: article.slug,
      articleAuthorId: alice,
      authorId: bob,
      authorUsername: 'bob',
      excerpt: 'Nice post',
    }),
    event('comment.added', {
      commentId: newId(),
      articleId,
      articleSlug: article.slug,
      articleAuthorId: alice,
      authorId: alice,
      authorUsername: 'alice',
      excerpt: 'Thanks!',
    }),
    event('article.favorited', {
      articleId,
      articleSlug: article.slug,
      articleAuthorId: alice,
      userId: carol,
      username: 'carol',
    }),
  ]);

  // Phase 3: carol unfollows; alice's next article reaches bob only.
  await publishTwice([event('user.unfollowed', { followerId: carol, followeeId: alice })]);
  const secondId = newId();
  await publishTwice([
    event('article.published', {
      ...article,
      articleId: secondId,
      slug: `second-${secondId}`,
      title: 'Second',
    }),
  ]);

  const summary = async (user: number) =>
    (await page(user))
      .map((n) => `${n.kind} by ${n.actorUsername}${n.articleSlug ? ` on ${n.articleSlug}` : ''}`)
      .sort();
  expect(await summary(alice)).toEqual(
    [
      'article.favorited by carol on ' + article.slug,
      'comment.added by bob on ' + article.slug,
      'user.followed by bob',
      'user.followed by carol',
    ].sort(),
  );
  expect(await summary(bob)).toEqual(
    [
      `article.published by alice on ${article.slug}`,
      `article.published by alice on second-${secondId}`,
    ].sort(),
  );
  expect(await summary(carol)).toEqual([`article.published by alice on ${article.slug}`]);
  // 8 events × 2 deliveries = 16 handled; 7 effects stored; 7 pushed, none twice.
  expect(handled).toHaveLength(16);
  await waitFor(() => pushed.length >= 7, 'seven pushes');
  expect(pushed).toHaveLength(7);
  expect(new Set(pushed.map((n) => n.id)).size).toBe(7);
});

test('when a message breaks its contract, then it is dead-lettered with the reason and the next one is still handled', async () => {
  const channel = await raw.createConfirmChannel();
  const bad = {
    id: randomUUID(),
    type: 'comment.added',
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: 'article:1',
    data: { articleId: 'one' },
  };
  channel.publish(exchange, 'comment.added', Buffer.from(JSON.stringify(bad)), {
    persistent: true,
    messageId: bad.id,
  });
  await channel.waitForConfirms();
  await channel.close();
  const followee = newId();
  const good = event('user.followed', {
    followerId: newId(),
    followerUsername: 'dave',
    followeeId: followee,
  });
  await publisher.publish(good);
  await waitFor(async () => (await page(followee)).length === 1, 'the good event handled');
  let dead: GetMessage[] = [];
  await waitFor(async () => (dead = dead.concat(await drain(dlq))).length === 1, 'one dead letter');
  expect(dead[0]!.properties.messageId).toBe(bad.id);
  expect(dead[0]!.properties.headers?.[HEADERS.failureCode]).toBe('invalid_data');
  expect(String(dead[0]!.properties.headers?.[HEADERS.failureReason])).toContain('articleId');
});

test('when the store keeps failing, then the event is retried, then dead-lettered with the handler’s error', async () => {
  // A store whose database does not exist: every query fails, as during a long outage.
  const broken = PostgresNotificationStore.connect(
    `${db.url.slice(0, db.url.lastIndexOf('/'))}/test_notif_missing_${Date.now()}`,
  );
  const service = createNotificationsService({ store: broken, realtime: hub });
  const queue = mq.name('broken');
  const brokenDlq = mq.name('broken.dlq');
  mq.name('broken.retry.1');
  mq.name('broken.retry.2');
  const failing = createNotificationsConsumer(broker, service, {
    exchange,
    queue,
    retryDelaysMs: [20, 40],
    deliveryLimit: 5,
    prefetch: 4,
  });
  await failing.start();
  try {
    const e = event('user.followed', {
      followerId: newId(),
      followerUsername: 'eve',
      followeeId: newId(),
    });
    await publisher.publish(e);
    let dead: GetMessage[] = [];
    await waitFor(
      async () => (dead = dead.concat(await drain(brokenDlq))).length === 1,
      'dead letter',
    );
    expect(dead[0]!.properties.messageId).toBe(e.id);
    expect(dead[0]!.properties.headers?.[HEADERS.failureCode]).toBe('handler_failed');
    expect(String(dead[0]!.properties.headers?.[HEADERS.failureReason])).toMatch(/does not exist/);
    // The first delivery and both retries ran (the bus counts attempts in a header).
    expect(dead[0]!.properties.headers?.[HEADERS.attempt]).toBe(3);
  } finally {
    await failing.stop(2_000);
    await broken.close();
  }
});

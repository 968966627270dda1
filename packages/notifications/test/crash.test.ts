// A consumer process killed with SIGKILL after storing a notification and before acking its
// message: the broker redelivers the message to the next process, which handles it as a no-op.
import path from 'node:path';
import { connectBroker, Publisher, type Broker } from '@roadmap/events';
import {
  createTestAmqp,
  createTestRedis,
  requireServices,
  startProcess as startIn,
  type Child,
  type TestAmqp,
  type TestRedis,
} from '@roadmap/kit/testing';
import { RealtimeHub, type Notification, type PostgresNotificationStore } from '../src';
import { createPostgresStore, event, newId, sleep, type TestStore } from './support';

let mq: TestAmqp;
let redis: TestRedis;
let db: TestStore<PostgresNotificationStore>;
let broker: Broker;
let publisher: Publisher;
let hub: RealtimeHub;
const packageDir = path.resolve(__dirname, '..');
const startProcess = (entry: string, env: Record<string, string>) =>
  startIn(packageDir, entry, env);
const children: Child[] = [];

beforeAll(async () => {
  await requireServices(['postgres', 'redis', 'rabbitmq']);
  [mq, redis, db] = await Promise.all([
    createTestAmqp('notifications-crash'),
    createTestRedis('notifications-crash'),
    createPostgresStore('crash'),
  ]);
  broker = await connectBroker({ url: mq.url, name: 'notifications-crash-test' });
  hub = await RealtimeHub.connect(redis.url, redis.prefix);
});

afterAll(async () => {
  await Promise.all(children.map((child) => child.kill('SIGKILL')));
  await publisher?.close();
  await broker?.close();
  await hub?.close();
  await Promise.all([db?.drop(), redis?.cleanup()]);
  await mq?.cleanup();
});

test('when the consumer is killed mid-message, then the message is redelivered and the notification exists once', async () => {
  const exchange = mq.name('x');
  const queue = mq.name('q');
  mq.name('q.dlq');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    CHANNEL_PREFIX: redis.prefix,
    RABBITMQ_URL: mq.url,
    EVENTS_EXCHANGE: exchange,
    QUEUE: queue,
  };
  const author = newId();
  const pushed: Notification[] = [];
  await hub.subscribe(author, (n) => pushed.push(n));

  const first = startProcess('test/support/consumer-process.ts', { ...env, HANG: '1' });
  children.push(first);
  await first.waitForOutput('ready');
  publisher = new Publisher(broker, { exchange, timeoutMs: 5_000 });
  await publisher.start();
  const comment = event('comment.added', {
    commentId: newId(),
    articleId: newId(),
    articleSlug: 'crash-course',
    articleAuthorId: author,
    authorId: newId(),
    authorUsername: 'bob',
    excerpt: 'first!',
  });
  await publisher.publish(comment);
  await first.waitForOutput(`handled ${comment.id} redelivered=false`);
  // The effect is stored, the ack was never sent.
  expect((await db.store.list(author, { limit: 10, offset: 0 })).notifications).toHaveLength(1);
  await first.kill('SIGKILL');

  const second = startProcess('test/support/consumer-process.ts', { ...env, HANG: '0' });
  children.push(second);
  await second.waitForOutput(`handled ${comment.id} redelivered=true`);
  await sleep(200);

  const page = await db.store.list(author, { limit: 10, offset: 0 });
  expect(page.notifications).toHaveLength(1);
  expect(page.notifications[0]).toMatchObject({ kind: 'comment.added', excerpt: 'first!' });
  expect(pushed).toHaveLength(1); // pushed by the first process only
  await second.kill('SIGTERM');
});

import { type Redis } from 'ioredis';
import {
  ack,
  appendEvent,
  claimStale,
  ensureGroup,
  pendingCount,
  readGroup,
} from '../src/redis/streams';
import { redisFixture, sleep, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('streams');
});
afterAll(() => fx.cleanup());

async function subscribe(client: Redis, channel: string, into: string[]): Promise<void> {
  client.on('message', (_channel: string, message: string) => into.push(message));
  await client.subscribe(channel);
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check();) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

async function untilAsync(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check());) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

async function subscribers(channel: string): Promise<number> {
  const [, count] = (await fx.redis.pubsub('NUMSUB', channel)) as [string, number];
  return Number(count);
}

describe('pub/sub: at most once', () => {
  it('when the subscriber is killed and a new one starts, then the messages published in between are lost', async () => {
    const channel = `${fx.prefix}events`;
    const firstSeen: string[] = [];
    const first = fx.connect();
    await subscribe(first, channel, firstSeen);
    for (let i = 1; i <= 5; i++) await fx.redis.publish(channel, `event-${i}`);
    await until(() => firstSeen.length === 5);

    first.disconnect(); // the consumer dies
    await untilAsync(async () => (await subscribers(channel)) === 0);
    const receivers: number[] = [];
    for (let i = 6; i <= 10; i++) receivers.push(await fx.redis.publish(channel, `event-${i}`));
    expect(receivers).toEqual([0, 0, 0, 0, 0]); // nobody was listening; Redis kept nothing

    const secondSeen: string[] = [];
    const second = fx.connect();
    await subscribe(second, channel, secondSeen);
    await fx.redis.publish(channel, 'event-11');
    await until(() => secondSeen.length === 1);
    expect(firstSeen).toEqual(['event-1', 'event-2', 'event-3', 'event-4', 'event-5']);
    expect(secondSeen).toEqual(['event-11']); // 6–10 are gone for good
    second.disconnect();
  });
});

describe('streams with a consumer group: at least once', () => {
  it('when a consumer dies before acknowledging, then XAUTOCLAIM hands its entries to another and every event is processed', async () => {
    const stream = `${fx.prefix}stream:favorites`;
    const group = 'leaderboard';
    await ensureGroup(fx.redis, stream, group);
    await ensureGroup(fx.redis, stream, group); // idempotent (BUSYGROUP ignored)
    for (let i = 1; i <= 10; i++) await appendEvent(fx.redis, stream, { n: String(i) });

    // Consumer A reads 4 entries, processes and acks 2, then is killed.
    const a = fx.connect();
    const readByA = await readGroup(a, stream, group, 'a', 4);
    expect(readByA.map((e) => e.fields.n)).toEqual(['1', '2', '3', '4']);
    await ack(
      a,
      stream,
      group,
      readByA.slice(0, 2).map((e) => e.id),
    );
    a.disconnect();
    expect(await pendingCount(fx.redis, stream, group)).toBe(2);

    // Consumer B reads what nobody has been given yet…
    const b = fx.connect();
    const processed = ['1', '2'];
    const fresh = await readGroup(b, stream, group, 'b', 100);
    expect(fresh.map((e) => e.fields.n)).toEqual(['5', '6', '7', '8', '9', '10']);
    processed.push(...fresh.map((e) => e.fields.n!));
    await ack(
      b,
      stream,
      group,
      fresh.map((e) => e.id),
    );

    // …and claims A's entries once they have been idle for minIdleMs.
    expect(await claimStale(b, stream, group, 'b', 60_000)).toEqual([]); // not idle long enough
    await sleep(60);
    const claimed = await claimStale(b, stream, group, 'b', 50);
    expect(claimed.map((e) => e.fields.n)).toEqual(['3', '4']);
    processed.push(...claimed.map((e) => e.fields.n!));
    await ack(
      b,
      stream,
      group,
      claimed.map((e) => e.id),
    );

    expect(processed.map(Number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await pendingCount(fx.redis, stream, group)).toBe(0);
    b.disconnect();
  });

  it('when two consumers of one group read at once, then each entry goes to exactly one of them', async () => {
    const stream = `${fx.prefix}stream:split`;
    await ensureGroup(fx.redis, stream, 'g');
    for (let i = 1; i <= 20; i++) await appendEvent(fx.redis, stream, { n: String(i) });
    const [x, y] = [fx.connect(), fx.connect()];
    const [fromX, fromY] = await Promise.all([
      readGroup(x, stream, 'g', 'x', 10),
      readGroup(y, stream, 'g', 'y', 10),
    ]);
    const all = [...fromX, ...fromY].map((e) => Number(e.fields.n)).sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    x.disconnect();
    y.disconnect();
  });

  it('when a consumer blocks on an empty stream, then it wakes with the next appended entry', async () => {
    const stream = `${fx.prefix}stream:block`;
    await ensureGroup(fx.redis, stream, 'g');
    const reader = fx.connect();
    const waiting = readGroup(reader, stream, 'g', 'r', 1, 5_000);
    await sleep(50);
    await appendEvent(fx.redis, stream, { n: 'late' });
    expect((await waiting).map((e) => e.fields.n)).toEqual(['late']);
    reader.disconnect();
  });
});

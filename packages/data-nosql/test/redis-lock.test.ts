import { FencedStore, RedisLock } from '../src/redis/lock';
import { redisFixture, sleep, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('lock');
});
afterAll(() => fx.cleanup());

describe('distributed lock with a fencing token', () => {
  it('when the lock is held, then a second acquirer is refused until it is released', async () => {
    const lock = new RedisLock(fx.redis, fx.prefix);
    const first = await lock.tryAcquire('report', 5_000);
    expect(first).not.toBeNull();
    expect(await lock.tryAcquire('report', 5_000)).toBeNull();
    expect(await lock.release(first!)).toBe(true);
    const second = await lock.tryAcquire('report', 5_000);
    expect(second!.token).toBe(first!.token + 1);
    await lock.release(second!);
  });

  it('when 20 workers race for the lock at once, then exactly one gets it', async () => {
    const clients = Array.from({ length: 5 }, () => fx.connect());
    const leases = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new RedisLock(clients[i % clients.length]!, fx.prefix).tryAcquire('race', 5_000),
      ),
    );
    expect(leases.filter((l) => l !== null)).toHaveLength(1);
    for (const c of clients) c.disconnect();
  });

  it('when a paused holder wakes after its lock expired, then its write with the old token is refused and the new holder keeps the lock', async () => {
    const lock = new RedisLock(fx.redis, fx.prefix);
    const store = new FencedStore(fx.redis, fx.prefix);
    const slow = await lock.tryAcquire('article:42', 100);
    expect(slow).not.toBeNull();
    await sleep(150); // the "GC pause": the lease expires meanwhile
    const fast = await lock.tryAcquire('article:42', 5_000);
    expect(fast).not.toBeNull();
    expect(fast!.token).toBeGreaterThan(slow!.token);
    expect(await store.write('article:42', fast!.token, 'written by the new holder')).toBe(true);

    // The stale holder still believes it holds the lock.
    expect(await store.write('article:42', slow!.token, 'written by the stale holder')).toBe(false);
    expect(await store.read('article:42')).toBe('written by the new holder');
    // Nor can it release (or extend) the lock it lost.
    expect(await lock.release(slow!)).toBe(false);
    expect(await lock.extend(slow!, 5_000)).toBe(false);
    expect(await lock.tryAcquire('article:42', 5_000)).toBeNull();
    expect(await lock.extend(fast!, 5_000)).toBe(true);
    await lock.release(fast!);
  });

  it('when the same race runs without a token, then the stale holder overwrites the new one', async () => {
    const store = new FencedStore(fx.redis, fx.prefix);
    await store.writeUnfenced('unfenced', 'written by the new holder');
    await store.writeUnfenced('unfenced', 'written by the stale holder');
    expect(await store.read('unfenced')).toBe('written by the stale holder');
  });

  it('when a lease is extended before it expires, then it outlives its first TTL', async () => {
    const lock = new RedisLock(fx.redis, fx.prefix);
    const lease = await lock.tryAcquire('long-job', 500);
    await sleep(100);
    expect(await lock.extend(lease!, 5_000)).toBe(true);
    await sleep(600); // past the first TTL

    expect(await lock.tryAcquire('long-job', 1_000)).toBeNull();
    expect(await lock.release(lease!)).toBe(true);
  });
});

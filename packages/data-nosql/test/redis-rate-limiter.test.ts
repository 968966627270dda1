import { naiveHit, SlidingWindowLimiter } from '../src/redis/rate-limiter';
import { redisFixture, sleep, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('ratelimit');
});
afterAll(() => fx.cleanup());

describe('sliding-window rate limiter (Lua)', () => {
  it('when hits stay under the limit, then each is allowed and remaining counts down', async () => {
    const limiter = new SlidingWindowLimiter(fx.redis, {
      prefix: fx.prefix,
      limit: 3,
      windowMs: 10_000,
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('alice'));
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(results[3]!.retryAfterMs).toBeGreaterThan(0);
    expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(10_000);
    // Another client has its own window.
    expect((await limiter.hit('bob')).allowed).toBe(true);
  });

  it('when 60 requests arrive at once from 6 connections, then exactly the limit (10) is admitted', async () => {
    const clients = Array.from({ length: 6 }, () => fx.connect());
    await Promise.all(clients.map((c) => c.ping())); // all connected, so the burst is simultaneous
    const limiters = clients.map(
      (c) => new SlidingWindowLimiter(c, { prefix: fx.prefix, limit: 10, windowMs: 10_000 }),
    );
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => limiters[i % limiters.length]!.hit('burst')),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(await fx.redis.zcard(`${fx.prefix}ratelimit:burst`)).toBe(10);
    for (const c of clients) c.disconnect();
  });

  it('when the same burst runs through the naive count-then-add, then more than the limit get in', async () => {
    const key = `${fx.prefix}naive:burst`;
    const clients = Array.from({ length: 6 }, () => fx.connect());
    await Promise.all(clients.map((c) => c.ping())); // all connected, so the burst is simultaneous
    const admitted = await Promise.all(
      Array.from({ length: 60 }, (_, i) => naiveHit(clients[i % clients.length]!, key, 10, 10_000)),
    );
    // Every caller read the count before any wrote: the limit did not hold.
    expect(admitted.filter(Boolean).length).toBeGreaterThan(10);
    for (const c of clients) c.disconnect();
  });

  it('when the window has passed, then old hits no longer count (the window slides)', async () => {
    const limiter = new SlidingWindowLimiter(fx.redis, {
      prefix: fx.prefix,
      limit: 2,
      windowMs: 300,
    });
    expect((await limiter.hit('slide')).allowed).toBe(true);
    expect((await limiter.hit('slide')).allowed).toBe(true);
    expect((await limiter.hit('slide')).allowed).toBe(false);
    await sleep(350);
    expect((await limiter.hit('slide')).allowed).toBe(true);
    // The key expires with the window, so idle clients cost no memory.
    const ttl = await fx.redis.pttl(`${fx.prefix}ratelimit:slide`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('when the limit or window is not a positive integer, then the limiter refuses to be built', () => {
    expect(
      () => new SlidingWindowLimiter(fx.redis, { prefix: fx.prefix, limit: 0, windowMs: 1 }),
    ).toThrow('limit must be a positive integer');
    expect(
      () => new SlidingWindowLimiter(fx.redis, { prefix: fx.prefix, limit: 1, windowMs: 0.5 }),
    ).toThrow('windowMs must be a positive integer');
  });
});

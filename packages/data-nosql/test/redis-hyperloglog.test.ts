import { relativeError, UniqueReaders } from '../src/redis/hyperloglog';
import { memoryUsage } from '../src/redis/memory';
import { redisFixture, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('hll');
});
afterAll(() => fx.cleanup());

describe('unique readers (HyperLogLog)', () => {
  it('when 50,000 distinct readers read an article (many twice), then the estimate is within 2% in under 16 KB, where an exact set takes megabytes', async () => {
    const readers = new UniqueReaders(fx.redis, fx.prefix);
    const ids = Array.from({ length: 50_000 }, (_, i) => `user-${i}`);
    await readers.record('dragons', ...ids);
    await readers.record('dragons', ...ids.slice(0, 20_000)); // re-reads do not count
    const estimate = await readers.count('dragons');
    expect(relativeError(estimate, 50_000)).toBeLessThan(0.02);
    const hllBytes = await memoryUsage(fx.redis, [readers.key('dragons')]);
    // 12 KB of registers plus the allocator's rounding and the key.
    expect(hllBytes).toBeLessThan(16 * 1024);

    const exactKey = `${fx.prefix}exact-readers`;
    for (let i = 0; i < ids.length; i += 1000)
      await fx.redis.sadd(exactKey, ...ids.slice(i, i + 1000));
    expect(await fx.redis.scard(exactKey)).toBe(50_000);
    expect(await memoryUsage(fx.redis, [exactKey])).toBeGreaterThan(hllBytes * 100);
  });

  it('when readers overlap across articles, then countAcross counts each person once', async () => {
    const readers = new UniqueReaders(fx.redis, fx.prefix);
    await readers.record('a', 'u1', 'u2', 'u3');
    await readers.record('b', 'u3', 'u4');
    expect(await readers.count('a')).toBe(3); // small counts are exact in practice
    expect(await readers.countAcross(['a', 'b'])).toBe(4);
  });

  it('relativeError is |estimate − exact| / exact', () => {
    expect(relativeError(102, 100)).toBeCloseTo(0.02);
    expect(relativeError(0, 0)).toBe(0);
  });
});

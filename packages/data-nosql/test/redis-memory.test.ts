import { encodingOf, memoryUsage, storeProfile, type Layout } from '../src/redis/memory';
import { redisFixture, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('memory');
});
afterAll(() => fx.cleanup());

const profile = { username: 'ada', bio: 'First programmer', image: 'https://example.com/ada.png' };

describe('key design and memory', () => {
  it('when the same 200 profiles are stored three ways, then a string per field costs the most and a small hash is compact', async () => {
    const bytes: Record<string, number> = {};
    for (const layout of ['string per field', 'one JSON string', 'one hash'] as Layout[]) {
      const keys: string[] = [];
      for (let id = 1; id <= 200; id++) {
        keys.push(
          ...(await storeProfile(
            fx.redis,
            `${fx.prefix}${layout.replace(/ /g, '_')}:`,
            layout,
            id,
            profile,
          )),
        );
      }
      bytes[layout] = await memoryUsage(fx.redis, keys);
    }
    expect(bytes['string per field']).toBeGreaterThan(bytes['one hash']! * 1.5);
    expect(bytes['string per field']).toBeGreaterThan(bytes['one JSON string']!);
    // Small hashes are stored as a listpack: one compact allocation, not a hash table.
    expect(await encodingOf(fx.redis, `${fx.prefix}one_hash:user:1`)).toBe('listpack');
    expect(await fx.redis.hgetall(`${fx.prefix}one_hash:user:1`)).toEqual(profile);
  });

  it('when a hash outgrows the listpack limits, then Redis converts it to a hash table', async () => {
    const key = `${fx.prefix}big-hash`;
    const fields = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']));
    await fx.redis.hset(key, fields);
    expect(await encodingOf(fx.redis, key)).toBe('hashtable');
  });
});

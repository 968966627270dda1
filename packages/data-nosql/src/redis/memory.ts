import type { Redis } from 'ioredis';

/**
 * Key design: `<app>:<entity>:<id>[:<field>]` — readable in `redis-cli --scan`, one prefix per
 * owner (so a test or a tenant can be deleted by prefix), and no unbounded values in a key name.
 *
 * The same profile can be stored three ways; MEMORY USAGE (bytes, including the key and Redis'
 * overhead per key) shows what each costs.
 */
export interface ProfileFields {
  username: string;
  bio: string;
  image: string;
}

export type Layout = 'string per field' | 'one JSON string' | 'one hash';

export async function storeProfile(
  redis: Redis,
  prefix: string,
  layout: Layout,
  id: number,
  profile: ProfileFields,
): Promise<string[]> {
  const base = `${prefix}user:${id}`;
  switch (layout) {
    case 'string per field': {
      const keys = Object.keys(profile).map((field) => `${base}:${field}`);
      await redis.mset(
        Object.fromEntries(Object.entries(profile).map(([f, v]) => [`${base}:${f}`, v])),
      );
      return keys;
    }
    case 'one JSON string':
      await redis.set(base, JSON.stringify(profile));
      return [base];
    case 'one hash':
      await redis.hset(base, profile);
      return [base];
  }
}

export async function memoryUsage(redis: Redis, keys: string[]): Promise<number> {
  let total = 0;
  for (const key of keys) {
    // SAMPLES 0: measure every element of an aggregate value, not an estimate from 5.
    const bytes = (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
    total += bytes ?? 0;
  }
  return total;
}

export async function encodingOf(redis: Redis, key: string): Promise<string | null> {
  return (await redis.call('OBJECT', 'ENCODING', key)) as string | null;
}

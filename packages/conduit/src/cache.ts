import { DEFAULT_CACHE_KEY_PREFIX } from '@roadmap/data-sql';
import { logger } from '@roadmap/kit';

/**
 * The cache the services use, as a port: get/set/delete strings by key. conduit knows no
 * Redis client; redisCache() adapts any ioredis-like client (structural typing, no import).
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
}

/** The three ioredis methods redisCache() calls. */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

/**
 * Why errors become misses: the cache is an optimisation. If Redis is down, reads go to
 * PostgreSQL (slower, still correct) rather than failing the request.
 * Deletes are the exception worth a louder log: a failed invalidation can serve stale data
 * until the TTL ends, which is why every entry has a TTL at all.
 */
export function redisCache(redis: RedisLike, prefix = DEFAULT_CACHE_KEY_PREFIX): Cache {
  return {
    async get(key) {
      try {
        return await redis.get(prefix + key);
      } catch (err) {
        logger.warn({ err, key }, 'cache read failed; treated as a miss');
        return null;
      }
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds <= 0) return;
      try {
        await redis.set(prefix + key, value, 'EX', ttlSeconds);
      } catch (err) {
        logger.warn({ err, key }, 'cache write failed');
      }
    },
    async del(...keys) {
      if (keys.length === 0) return;
      try {
        await redis.del(...keys.map((key) => prefix + key));
      } catch (err) {
        logger.error({ err, keys }, 'cache invalidation failed; entries stay until their TTL');
      }
    },
  };
}

/** No caching at all (CACHE_TTL_SECONDS=0, or the "uncached" side of the benchmark). */
export const noCache: Cache = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
  del: () => Promise.resolve(),
};

/** Every cache key in one place, so a reader sees what is cached and what invalidates it. */
export const cacheKeys = {
  /** The viewer-independent part of an article (no favorited, no author.following). */
  article: (slug: string) => `article:${slug}`,
  tags: () => 'tags',
};

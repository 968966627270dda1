import type { Redis } from 'ioredis';
import type pg from 'pg';
import { bumpTokenGeneration, findTokenGeneration } from '@roadmap/data-sql';
import { isRedisUnavailable, logger } from '@roadmap/kit';

/**
 * Revocable access tokens. Each token carries the user's generation (`gen`) from when it was
 * signed; a password change, a role change or "log out everywhere" raises the number in
 * PostgreSQL, and every token carrying an older one is refused from then on.
 *
 * PostgreSQL is the truth; Redis holds a copy for `cacheSeconds`, so the check costs one Redis
 * GET per token request, not one SQL query. Two rules keep the copy honest:
 * - it only ever goes up (SET-if-greater, one Lua script): a reader that loaded the old value
 *   just before a bump cannot write it back over the new one;
 * - a bump writes PostgreSQL first, then the copy. If Redis missed the write (it was down),
 *   the stale copy lives at most `cacheSeconds`: the bound on how late a revocation can be.
 * Without Redis the check reads PostgreSQL directly (slower, still correct).
 */
export interface TokenGenerations {
  /** The current generation, or null for a user that no longer exists. */
  current(userId: number): Promise<number | null>;
  /** Raises the generation (refusing every token issued so far); null for an unknown user. */
  bump(userId: number): Promise<number | null>;
  /** After a change made elsewhere in SQL (e.g. setUserRole), store the new value. */
  remember(userId: number, generation: number): Promise<void>;
}

const SET_IF_GREATER = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 1
`;

export function createTokenGenerations(deps: {
  pool: pg.Pool;
  redis: Redis;
  cacheSeconds: number;
}): TokenGenerations {
  const { pool, redis, cacheSeconds } = deps;
  const key = (userId: number) => `auth:tokgen:${userId}`;

  async function remember(userId: number, generation: number): Promise<void> {
    try {
      await redis.eval(SET_IF_GREATER, 1, key(userId), generation, cacheSeconds);
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      logger.warn({ err: error, userId }, 'token generation not cached; Redis unavailable');
    }
  }

  return {
    async current(userId) {
      try {
        const cached = await redis.get(key(userId));
        if (cached !== null) return Number(cached);
      } catch (error) {
        if (!isRedisUnavailable(error)) throw error;
        // Redis is a copy: without it, ask the truth.
        return findTokenGeneration(pool, userId);
      }
      const generation = await findTokenGeneration(pool, userId);
      if (generation !== null) await remember(userId, generation);
      return generation;
    },
    async bump(userId) {
      const generation = await bumpTokenGeneration(pool, userId);
      if (generation !== null) await remember(userId, generation);
      return generation;
    },
    remember,
  };
}

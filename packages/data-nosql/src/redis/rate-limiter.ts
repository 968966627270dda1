import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A sliding-window rate limiter: at most `limit` hits in any `windowMs` — not per clock minute,
 * so a burst across a minute boundary cannot double the rate as a fixed window allows.
 *
 * Each client has a sorted set of its recent hits (score = time in ms). The script drops hits
 * older than the window, counts the rest, and adds this hit only if there is room. Why Lua:
 * Redis runs a script as one step, so "count, then add" cannot interleave with another
 * request's count — two app servers hitting the same key at once still admit exactly `limit`.
 * Why the server's TIME rather than the caller's clock: every app server then measures the
 * window on one clock, and a skewed host cannot widen it.
 */
const SLIDING_WINDOW_LUA = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local member = ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
`;

export interface RateLimitResult {
  allowed: boolean;
  /** Hits still allowed in the current window after this one. */
  remaining: number;
  /** When refused: milliseconds until the oldest hit leaves the window. */
  retryAfterMs: number;
}

export interface SlidingWindowOptions {
  /** Namespace for this limiter's keys, e.g. "conduit:" (ends with a colon). */
  prefix: string;
  limit: number;
  windowMs: number;
}

export class SlidingWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: SlidingWindowOptions,
  ) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError('limit must be a positive integer');
    if (!Number.isInteger(options.windowMs) || options.windowMs < 1)
      throw new RangeError('windowMs must be a positive integer');
  }

  key(clientId: string): string {
    return `${this.options.prefix}ratelimit:${clientId}`;
  }

  async hit(clientId: string): Promise<RateLimitResult> {
    // EVAL with the script text each time keeps the example short; ioredis' defineCommand
    // would send EVALSHA and fall back to EVAL, saving the script's bytes on every call.
    const [allowed, remaining, retryAfterMs] = (await this.redis.eval(
      SLIDING_WINDOW_LUA,
      1,
      this.key(clientId),
      this.options.windowMs,
      this.options.limit,
      randomUUID(), // unique member: two hits in the same millisecond must both count
    )) as [number, number, number];
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }
}

/**
 * The same limiter without the script: count, then add, in separate round trips (trimming old
 * hits is left out: it does not change the race). Kept only to show the race — concurrent
 * callers all read the count before any of them adds, and all get in.
 */
export async function naiveHit(
  redis: Redis,
  key: string,
  limit: number,
  windowMs: number,
): Promise<boolean> {
  const count = await redis.zcard(key);
  if (count >= limit) return false;
  await redis.zadd(key, Date.now(), randomUUID());
  await redis.pexpire(key, windowMs);
  return true;
}

import { AppError, logger } from '@roadmap/kit';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

export interface RateLimitOptions {
  redis: Redis;
  max: number;
  windowSeconds: number;
  exempt: readonly string[];
  /** The REST API's key space (`ratelimit:<ip>:<window>`): both APIs draw on one allowance. */
  keyPrefix?: string;
}

// INCR and the first PEXPIRE in one atomic script, exactly as the REST API counts, so the two
// APIs share counters: a client cannot get twice the allowance by switching API.
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

/**
 * Per-address fixed-window limit in Redis. (When kit grows a shared limiter, both APIs should
 * call it; until then this mirrors rest-api/src/http/rate-limit.ts key for key.)
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const exempt = new Set(options.exempt);
  const prefix = options.keyPrefix ?? 'ratelimit:';
  const windowMs = options.windowSeconds * 1000;
  return async (req, res, next) => {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (exempt.has(client)) {
      next();
      return;
    }
    const window = Math.floor(Date.now() / windowMs);
    let count: number;
    let ttlMs: number;
    try {
      [count, ttlMs] = (await options.redis.eval(
        FIXED_WINDOW,
        1,
        `${prefix}${client}:${window}`,
        windowMs,
      )) as [number, number];
    } catch (error) {
      // Fail open: a Redis outage slows abuse detection rather than taking the API down.
      logger.warn({ err: error }, 'rate limiter unavailable; request allowed');
      next();
      return;
    }
    const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowMs) / 1000));
    res.setHeader('RateLimit-Limit', String(options.max));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, options.max - count)));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (count > options.max) {
      next(AppError.tooManyRequests(resetSeconds));
      return;
    }
    next();
  };
}

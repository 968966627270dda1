import { AppError, logger, type Metrics } from '@roadmap/kit';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

export interface RateLimitOptions {
  redis: Redis;
  /** Requests allowed per client per window. */
  max: number;
  windowSeconds: number;
  /** Client addresses never limited (default: loopback, so local tests and benchmarks run free). */
  exempt: readonly string[];
  keyPrefix?: string;
  /** Counts each 429 in rate_limit_rejections_total{limiter="api"}. */
  metrics?: Metrics;
}

// Why a script: INCR and the first EXPIRE must happen together, or a crash between them leaves
// a counter that never expires and locks a client out for good. Redis runs a script atomically.
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

/**
 * A fixed-window limiter whose counters live in Redis, so every instance behind a load balancer
 * shares them (an in-memory counter would give each instance its own allowance).
 * Answers 429 with Retry-After; sets the IETF draft RateLimit-* headers on every response.
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
      // Why fail open: a Redis outage should slow abuse detection, not take the API down.
      logger.warn({ err: error }, 'rate limiter unavailable; request allowed');
      next();
      return;
    }
    const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowMs) / 1000));
    res.setHeader('RateLimit-Limit', String(options.max));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, options.max - count)));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (count > options.max) {
      options.metrics?.rateLimitRejections.inc({ limiter: 'api' });
      next(AppError.tooManyRequests(resetSeconds));
      return;
    }
    next();
  };
}

import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { clientKey } from './client-key';
import { AppError } from './errors';
import { logger } from './logger';
import type { Metrics } from './metrics';

export interface RateLimitOptions {
  /** A client from createRedis(): its bounded timeouts are what keep an outage from hanging. */
  redis: Redis;
  /** Requests allowed per client per window. */
  max: number;
  windowSeconds: number;
  /** Client addresses never limited (e.g. loopback, so local tests and benchmarks run free). */
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
 * The general rate limit, as Express middleware any HTTP app of the project mounts (REST
 * today, GraphQL next). A fixed window whose counters live in Redis, so every instance behind
 * a load balancer shares them (in-memory counters would give each instance its own allowance).
 * Clients are counted by clientKey(): an IPv6 client is its /64, not one of its 2^64 addresses.
 * Answers 429 with Retry-After; sets the IETF draft RateLimit-* headers on every response.
 *
 * Fails OPEN: when Redis does not answer (within its command timeout) the request is let
 * through and a warning logged. A general limit slows abuse; losing it for the length of an
 * outage is better than refusing every visitor. The login throttle makes the other choice.
 *
 * Why hand-written rather than express-rate-limit + rate-limit-redis: the point of this stage
 * is the twenty lines below (an atomic Lua window); the libraries do the same with more
 * options (see the README for when to switch).
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const exempt = new Set(options.exempt);
  const prefix = options.keyPrefix ?? 'ratelimit:';
  const windowMs = options.windowSeconds * 1000;
  return async (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (exempt.has(ip)) {
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
        `${prefix}${clientKey(ip)}:${window}`,
        windowMs,
      )) as [number, number];
    } catch (error) {
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

import { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from './errors';
import { logger as defaultLogger, type Logger } from './logger';

/**
 * The Redis variables every app merges into its config shape. Defaults suit a local Redis; a
 * remote one across a slow network may want more, never "unbounded".
 */
export const redisConfigShape = {
  /** A command (including the time to learn the connection is dead) fails after this. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** Opening a connection fails after this. */
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
};

export interface RedisClientOptions {
  /** Shown in logs ("rest-api", "auth", …). */
  name?: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** ioredis keyPrefix (test isolation). */
  keyPrefix?: string;
  /** Do not connect before connectRedis() or the first command (default false). */
  lazyConnect?: boolean;
  logger?: Logger;
}

/**
 * The one way this project creates an ioredis client. ioredis's defaults suit a cache that may
 * wait; for a request path they turn a Redis outage into hung requests: commands are queued
 * while disconnected with no limit (the offline queue) and wait for ever for a server that
 * accepts TCP but answers nothing. Here every wait is bounded:
 *
 * - `enableOfflineQueue: false`: while disconnected a command fails at once, so callers can
 *   degrade (cache miss, 503) instead of piling up requests in memory until Redis returns.
 * - `commandTimeout`: a command sent on a live-looking connection that never answers fails.
 * - `socketTimeout`: …and that connection is then dropped and re-opened, so the next commands
 *   fail fast too instead of each waiting the full timeout.
 * - `connectTimeout`: opening a connection to a black-holed host fails.
 * - `maxRetriesPerRequest: 1`: a command cut by a reconnect is retried once, not twenty times.
 * - reconnects back off to at most one second, so the client recovers within a second or two
 *   of Redis coming back, with no restart.
 */
export function createRedis(url: string, options: RedisClientOptions = {}): Redis {
  const log = options.logger ?? defaultLogger;
  const commandTimeout = options.commandTimeoutMs ?? 1_000;
  const redis = new Redis(url, {
    lazyConnect: options.lazyConnect ?? false,
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    commandTimeout,
    socketTimeout: commandTimeout,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // Why a listener at all: without one, ioredis prints every reconnect failure to stderr.
  // One warning per outage, one line when it is over.
  let down = false;
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn({ err, client: options.name ?? 'redis' }, 'Redis connection lost; retrying');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ client: options.name ?? 'redis' }, 'Redis connection restored');
  });
  return redis;
}

/**
 * createRedis() and wait until the client is ready. With the offline queue off, a command sent
 * before the connection is up would fail, so apps connect before they listen.
 */
export async function connectRedis(url: string, options: RedisClientOptions = {}): Promise<Redis> {
  const redis = createRedis(url, { ...options, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

const UNAVAILABLE_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed',
  'Socket timeout',
  'connect ETIMEDOUT',
];

/**
 * True when an error means "Redis is not there right now" (refused, timed out, connection
 * lost), as opposed to a reply error (a bug: wrong type, bad script). ioredis gives these no
 * class of their own, so the check is on the messages createRedis()'s options produce.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  return UNAVAILABLE_MESSAGES.some((message) => error.message.includes(message));
}

/**
 * For callers that must not do without Redis (sessions, login throttling): the outage as a
 * 503 whose body names what is unavailable, with a Retry-After; anything else unchanged.
 */
export function redisUnavailable(error: Error, field: string): Error;
export function redisUnavailable(error: unknown, field: string): unknown;
export function redisUnavailable(error: unknown, field: string): unknown {
  if (!isRedisUnavailable(error)) return error;
  return new AppError({
    code: 'unavailable',
    status: 503,
    message: 'is temporarily unavailable',
    field,
    headers: { 'Retry-After': '5' },
    cause: error,
  });
}

/**
 * Deletes every key that starts with `prefix` (SCAN + DEL in batches, never KEYS or FLUSHDB,
 * so a shared Redis keeps everyone else's keys and is never blocked). Returns how many.
 * The client must have no keyPrefix: ioredis does not prefix SCAN patterns.
 */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

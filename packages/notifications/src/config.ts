import { z } from 'zod';
import { loadConfig, port, url } from '@roadmap/kit';
import { authConfigShape } from '@roadmap/auth';
import { eventsEnvShape } from '@roadmap/events';

/** Where notifications live when NOTIFICATIONS_DATABASE_URL is unset: a database of its own. */
export const DEFAULT_NOTIFICATIONS_DATABASE_URL =
  'postgres://postgres@127.0.0.1:5432/notifications';

/**
 * Every variable the service reads, checked once at start-up; each is documented in README.md
 * and the root .env.example.
 */
export const notificationsEnvShape = {
  PORT: port(3100),
  /** postgres | mongo. Unset: mongo where MONGO_URL is set, else postgres (runs anywhere). */
  NOTIFICATIONS_STORE: z.enum(['postgres', 'mongo']).optional(),
  /** This service's own PostgreSQL database — never Conduit's (created if missing). */
  NOTIFICATIONS_DATABASE_URL: url(['postgres:', 'postgresql:'], DEFAULT_NOTIFICATIONS_DATABASE_URL),
  MONGO_URL: url(['mongodb:', 'mongodb+srv:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Prefix of the Redis pub/sub channels (one channel per recipient). */
  NOTIFICATIONS_CHANNEL_PREFIX: z.string().min(1).max(100).default('notifications:'),
  /** The queue this service consumes from (its retry and dead-letter queues are named after it). */
  NOTIFICATIONS_QUEUE: z.string().min(1).max(200).default('notifications'),
  /** Where auth publishes its public keys (rest-api serves the same route). */
  JWKS_URL: url(['http:', 'https:'], 'http://127.0.0.1:3000/.well-known/jwks.json'),
  /** A JWKS fetch that has not answered by then fails (the request gets a 503, not a hang). */
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How long fetched keys are trusted before the next fetch. */
  JWKS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** At most one refetch per this interval for unknown kids (garbage kids cannot flood auth). */
  JWKS_MIN_REFRESH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  JWT_ISSUER: authConfigShape.JWT_ISSUER,
  JWT_AUDIENCE: authConfigShape.JWT_AUDIENCE,
  /** Longest access-token lifetime accepted (auth's CONDUIT_TOKEN_TTL_SECONDS). */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60),
  /** Largest page of GET /api/notifications. */
  NOTIFICATIONS_PAGE_MAX: z.coerce.number().int().min(1).max(1_000).default(100),
  /** A comment line on every open stream this often, so proxies keep idle streams open. */
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(300_000).default(15_000),
  /** Open streams per instance; the next one gets a 503. */
  SSE_MAX_STREAMS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  RABBITMQ_URL: eventsEnvShape.RABBITMQ_URL,
  EVENTS_EXCHANGE: eventsEnvShape.EVENTS_EXCHANGE,
  EVENTS_PREFETCH: eventsEnvShape.EVENTS_PREFETCH,
  EVENTS_RETRY_DELAYS_MS: eventsEnvShape.EVENTS_RETRY_DELAYS_MS,
  EVENTS_DELIVERY_LIMIT: eventsEnvShape.EVENTS_DELIVERY_LIMIT,
  EVENTS_RECONNECT_MAX_DELAY_MS: eventsEnvShape.EVENTS_RECONNECT_MAX_DELAY_MS,
};

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(notificationsEnvShape, env);
}

/** The store a configuration selects: explicit, else MongoDB wherever MONGO_URL is set. */
export function storeKind(config: Pick<NotificationsConfig, 'NOTIFICATIONS_STORE' | 'MONGO_URL'>) {
  return config.NOTIFICATIONS_STORE ?? (config.MONGO_URL ? 'mongo' : 'postgres');
}

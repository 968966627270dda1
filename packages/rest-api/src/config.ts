import { authConfigShape, loadAuthConfig } from '@roadmap/auth';
import { DEFAULT_CACHE_KEY_PREFIX } from '@roadmap/data-sql';
import {
  list,
  loadConfig,
  port,
  redisConfigShape,
  SERVICES,
  trustProxy,
  url,
  type Config,
} from '@roadmap/kit';
import { z } from 'zod';

/**
 * Every variable the REST API reads (auth's own are merged in). Checked once at start-up;
 * documented in the README and in the root .env.example.
 */
export const restApiConfigShape = {
  ...authConfigShape,
  PORT: port(3000),
  // The same default as `pnpm db:migrate` (data-sql), so migrate-then-start works with no .env.
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/conduit'),
  REDIS_URL: url(['redis:', 'rediss:'], SERVICES.redis.defaultUrl),
  ...redisConfigShape,
  /** PostgreSQL connections this process may hold. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Largest JSON body; a bigger one is refused with 413 before it is parsed. */
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
    .default('100kb'),
  /** Origins allowed by CORS: `*` (tokens only, no cookies) or a comma-separated list. */
  CORS_ORIGINS: list('*'),
  /** Requests per client address per window before 429. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Addresses never rate limited (`none` for nobody): loopback, so local test suites and benchmarks run free. */
  RATE_LIMIT_EXEMPT: list('127.0.0.1,::1,::ffff:127.0.0.1'),
  /** Seconds a cached article or tag list lives; 0 turns the cache off. */
  CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Redis key prefix of that cache; `db:seed` clears it (set the same value for both). */
  CACHE_KEY_PREFIX: z.string().min(1).default(DEFAULT_CACHE_KEY_PREFIX),
  /** Development only: an empty database gets a small demo set at start-up (`false` to skip). */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Express "trust proxy" (kit's one parser): set it behind a reverse proxy. */
  TRUST_PROXY: trustProxy(),
};

export type RestApiConfig = Config<typeof restApiConfigShape>;

export function loadRestApiConfig(
  env: Record<string, string | undefined> = process.env,
): RestApiConfig {
  const config = loadConfig(restApiConfigShape, env);
  loadAuthConfig(env); // refuses to start in production without JWT keys and a session secret
  return config;
}

/** The defaults of every variable (what tests and benchmarks get unless they say otherwise). */
export function defaultRestApiConfig(): RestApiConfig {
  return loadConfig(restApiConfigShape, { NODE_ENV: process.env.NODE_ENV });
}

import { authConfigShape, loadAuthConfig } from '@roadmap/auth';
import { list, loadConfig, port, redisConfigShape, SERVICES, url, type Config } from '@roadmap/kit';
import { z } from 'zod';

const count = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * Every variable the GraphQL API reads (auth's own are merged in, for the token keys). The
 * RATE_LIMIT_* names and the Redis key space are the REST API's: one allowance per client
 * address across both APIs. Documented in the README and the root .env.example.
 */
export const graphqlApiConfigShape = {
  ...authConfigShape,
  ...redisConfigShape,
  PORT: port(4000),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/conduit'),
  REDIS_URL: url(['redis:', 'rediss:'], SERVICES.redis.defaultUrl),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Seconds a cached article or tag list lives (shared with REST); 0 turns the cache off. */
  CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Largest request body; a bigger one is a 413 GraphQL error before it is parsed. */
  GRAPHQL_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
    .default('100kb'),
  /** Deepest selection set accepted (a feed with authors is 5 deep; the standard introspection query 21 as counted here). */
  GRAPHQL_MAX_DEPTH: count(1, 25),
  /** GraphQL Armor's static cost of one operation. */
  GRAPHQL_MAX_COST: count(1, 5_000),
  /** Aliases per operation (1,000 aliases of one expensive field is an amplification attack). */
  GRAPHQL_MAX_ALIASES: count(0, 30),
  /** Directives per operation. */
  GRAPHQL_MAX_DIRECTIVES: count(0, 50),
  /** Lexical tokens per document: refuses a huge query before it is parsed into a tree. */
  GRAPHQL_MAX_TOKENS: count(1, 5_000),
  /** Introspection and the Sandbox landing page; default: on except in production. */
  GRAPHQL_INTROSPECTION: flag.optional(),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Addresses never rate limited (`none` for nobody): loopback, so tests and benchmarks run free. */
  RATE_LIMIT_EXEMPT: list('127.0.0.1,::1,::ffff:127.0.0.1'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value) => {
      if (value === undefined || value === 'false') return false;
      if (value === 'true') return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
};

export type GraphqlApiConfig = Config<typeof graphqlApiConfigShape>;

export function loadGraphqlApiConfig(
  env: Record<string, string | undefined> = process.env,
): GraphqlApiConfig {
  const config = loadConfig(graphqlApiConfigShape, env);
  loadAuthConfig(env); // refuses to start in production without JWT keys
  return config;
}

/** Every variable at its default (what tests and benchmarks get unless they say otherwise). */
export function defaultGraphqlApiConfig(): GraphqlApiConfig {
  return loadConfig(graphqlApiConfigShape, { NODE_ENV: process.env.NODE_ENV });
}

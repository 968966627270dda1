import { loadConfig, url } from '@roadmap/kit';
import { z } from 'zod';

/** Where MongoDB lives when MONGO_URL is not set (docker compose publishes it here). */
export const DEFAULT_MONGO_URL = 'mongodb://127.0.0.1:27017/conduit';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const dataNosqlEnvShape = {
  MONGO_URL: url(['mongodb:', 'mongodb+srv:'], DEFAULT_MONGO_URL),
  REDIS_URL: url(['redis:', 'rediss:'], DEFAULT_REDIS_URL),
  /** Only `compare` reads it: the data-sql side of the side-by-side questions. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  /**
   * How long a MongoDB operation waits for a reachable server before failing. Why short: a lost
   * database should become a 503 in a couple of seconds, not a request hanging for the
   * driver's default 30 s.
   */
  MONGO_SERVER_SELECTION_TIMEOUT_MS: int(100, 120_000, 2_000),
  /**
   * Longest wait for one reply on an open connection; a query that takes longer, or a network
   * that went silent, fails (→ 503) instead of holding the request. Keep it above your slowest
   * legitimate query.
   */
  MONGO_SOCKET_TIMEOUT_MS: int(100, 600_000, 10_000),
  /** Largest article body accepted (characters); longer ones are a 422. */
  ARTICLE_BODY_MAX_CHARS: int(1, 1_000_000, 100_000),
  /**
   * Largest document written (bytes of BSON). MongoDB's own hard limit is 16 MiB; staying far
   * below it keeps every read of one document cheap.
   */
  MAX_DOCUMENT_BYTES: int(1_024, 16 * 1024 * 1024, 1024 * 1024),
  /** A sign-up not verified within this many seconds is deleted by the TTL index. */
  UNVERIFIED_SIGNUP_TTL_SECONDS: int(60, 30 * 24 * 3600, 24 * 3600),
};

export function loadDataNosqlConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(dataNosqlEnvShape, env);
}

export type DataNosqlConfig = ReturnType<typeof loadDataNosqlConfig>;

/** The document limits of the configuration, in the shape connectMongo takes. */
export function mongoLimits(config: DataNosqlConfig) {
  return {
    articleBodyMaxChars: config.ARTICLE_BODY_MAX_CHARS,
    maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
    unverifiedSignupTtlSeconds: config.UNVERIFIED_SIGNUP_TTL_SECONDS,
  };
}

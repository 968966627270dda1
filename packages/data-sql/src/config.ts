import { loadConfig, SERVICES, url } from '@roadmap/kit';
import { z } from 'zod';

/** Where the Conduit database lives when DATABASE_URL is not set (created on first use). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/conduit';

/**
 * The Redis key prefix of the REST API's read cache. It lives here, not in conduit, because
 * `db:seed` (this package, which cannot import conduit) must clear that cache after it
 * replaces the data; conduit's redisCache() uses the same constant as its default.
 */
export const DEFAULT_CACHE_KEY_PREFIX = 'conduit:';

export const dataSqlEnvShape = {
  /** Unset: the local server's `conduit` database, or embedded PGlite if no server answers. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  /** The MySQL/MariaDB side-by-side lessons and tests. */
  MYSQL_URL: url(['mysql:'], 'mysql://root@127.0.0.1:3306/test'),
  /** `db:seed` clears the API's cached reads here, so a running API shows the new data at once. */
  REDIS_URL: url(['redis:', 'rediss:'], SERVICES.redis.defaultUrl),
  CACHE_KEY_PREFIX: z.string().min(1).default(DEFAULT_CACHE_KEY_PREFIX),
};

export function loadDataSqlConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(dataSqlEnvShape, env);
}

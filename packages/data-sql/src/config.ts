import { loadConfig, url } from '@roadmap/kit';

/** Where the Conduit database lives when DATABASE_URL is not set (created on first use). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/conduit';

export const dataSqlEnvShape = {
  /** Unset: the local server's `conduit` database, or embedded PGlite if no server answers. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  /** The MySQL/MariaDB side-by-side lessons and tests. */
  MYSQL_URL: url(['mysql:'], 'mysql://root@127.0.0.1:3306/test'),
};

export function loadDataSqlConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(dataSqlEnvShape, env);
}

import pg from 'pg';

/**
 * Where a start-up probe should look for PostgreSQL: outside production the database itself may
 * not exist yet (prepareDatabase creates it), so the server's `postgres` maintenance database.
 */
export function startupProbeUrl(url: string, nodeEnv: string): string {
  return nodeEnv === 'production' ? url : maintenanceUrl(url);
}

/** The same server and credentials, the `postgres` maintenance database. */
function maintenanceUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

/**
 * Creates the database named in `url` if it does not exist yet, by connecting to the server's
 * `postgres` maintenance database. So `pnpm start` works on a fresh server with no set-up.
 */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`Unsupported database name "${name}"`);
  const client = new pg.Client({
    connectionString: maintenanceUrl(url),
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return { created: false };
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (err) {
      // Another process created it between our check and now (two apps or replicas starting
      // on a fresh server): 42P04 duplicate_database if it had committed before we began,
      // 23505 unique_violation (on pg_database's name index) if we raced it to the insert.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
      return { created: false };
    }
    return { created: true };
  } finally {
    await client.end();
  }
}

// `pnpm db:seed [--scale N] [--seed S] [--reset]`: migrate, then replace the data with the
// deterministic set, then clear the REST API's cached reads so a running API shows it at once.
import { connectRedis, deleteKeysByPrefix, redactUrl, runMain, StartupError } from '@roadmap/kit';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { countContent } from '../seed/demo';
import { seedDatabase } from '../seed/seed';
import { numberFlag } from './args';

runMain(async () => {
  const config = loadDataSqlConfig();
  if (config.NODE_ENV === 'production')
    throw new StartupError('db:seed replaces all data; refusing in production.');
  const reset = process.argv.includes('--reset');
  const scale = numberFlag('scale', 0.05);
  const seed = numberFlag('seed', 42);
  const url = config.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await ensureDatabase(url);
  await migrate(url);
  const pool = createPool(url, { statementTimeoutMs: 600_000 });
  const log = (message: string) => process.stdout.write(`${message}\n`);
  try {
    // Why ask: the seed truncates every Conduit table, the accounts a learner registered by
    // hand included. An empty database has nothing to lose, so it needs no flag.
    const { users, articles } = await countContent(pool);
    if (users + articles > 0) {
      if (!reset)
        throw new StartupError(
          `db:seed replaces every row of users, articles, comments, tags, favorites and follows; this database has ${users} users and ${articles} articles. Run it again with --reset to replace them.`,
        );
      log(`replacing ${users} users and ${articles} articles (--reset)`);
    }
    const result = await seedDatabase(pool, { scale, seed, log });
    for (const [table, n] of Object.entries(result.rows)) log(`${table.padEnd(14)} ${n}`);
    log(
      `${result.totalRows} rows in ${(result.ms / 1000).toFixed(2)} s = ${result.rowsPerSecond.toLocaleString('en')} rows/s`,
    );
  } finally {
    await pool.end();
  }
  log(await clearApiCache(config.REDIS_URL, config.CACHE_KEY_PREFIX));
});

/**
 * The REST API caches articles and the tag list for CACHE_TTL_SECONDS; after replacing the
 * data those entries are wrong, so they go. Without Redis there is nothing cached to clear.
 */
async function clearApiCache(redisUrl: string, prefix: string): Promise<string> {
  let redis;
  try {
    redis = await connectRedis(redisUrl, { name: 'db:seed' });
  } catch {
    return `cache: Redis is not reachable at ${redactUrl(redisUrl)}; a running API may serve cached reads until they expire (CACHE_TTL_SECONDS)`;
  }
  try {
    const deleted = await deleteKeysByPrefix(redis, prefix);
    return `cache: deleted ${deleted} cached ${deleted === 1 ? 'entry' : 'entries'} of the REST API (${prefix}*)`;
  } finally {
    redis.disconnect();
  }
}

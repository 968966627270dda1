// `pnpm db:seed [--scale N] [--seed S]`: migrate, then replace the data with the deterministic set.
import { runMain, StartupError } from '@roadmap/kit';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { seedDatabase } from '../seed/seed';
import { numberFlag } from './args';

runMain(async () => {
  const config = loadDataSqlConfig();
  if (config.NODE_ENV === 'production')
    throw new StartupError('db:seed replaces all data; refusing in production.');
  const url = config.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await ensureDatabase(url);
  await migrate(url);
  const pool = createPool(url, { statementTimeoutMs: 600_000 });
  const log = (message: string) => process.stdout.write(`${message}\n`);
  try {
    const result = await seedDatabase(pool, {
      scale: numberFlag('scale', 0.05),
      seed: numberFlag('seed', 42),
      log,
    });
    for (const [table, n] of Object.entries(result.rows))
      process.stdout.write(`${table.padEnd(14)} ${n}\n`);
    process.stdout.write(
      `${result.totalRows} rows in ${(result.ms / 1000).toFixed(2)} s = ${result.rowsPerSecond.toLocaleString('en')} rows/s\n`,
    );
  } finally {
    await pool.end();
  }
});

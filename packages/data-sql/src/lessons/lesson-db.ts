import type pg from 'pg';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { seedDatabase, type SeedResult } from '../seed/seed';

/**
 * Lessons run in their own database, `conduit_lessons` on the same server as DATABASE_URL, so
 * dropping indexes and reseeding never touches the app's data.
 */
export async function openLessonDatabase(opts: { scale?: number } = {}): Promise<{
  pool: pg.Pool;
  url: string;
  seeded?: SeedResult;
  close: () => Promise<void>;
}> {
  const config = loadDataSqlConfig();
  const url = new URL(config.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = '/conduit_lessons';
  await ensureDatabase(url.toString());
  await migrate(url.toString());
  const pool = createPool(url.toString(), {
    statementTimeoutMs: 600_000,
    applicationName: 'data-sql-lesson',
  });
  const seeded =
    opts.scale === undefined ? undefined : await seedDatabase(pool, { scale: opts.scale });
  return { pool, url: url.toString(), seeded, close: () => pool.end() };
}

export const print = (text = '') => process.stdout.write(`${text}\n`);
export const ms = (n: number) => `${n.toFixed(2)} ms`;

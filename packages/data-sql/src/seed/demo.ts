import type pg from 'pg';
import { query, type Db } from '../db/pool';
import { seedDatabase } from './seed';

/** How many users and articles the database holds (what the seed would replace). */
export async function countContent(db: Db): Promise<{ users: number; articles: number }> {
  const { rows } = await query<{ users: string; articles: string }>(
    db,
    'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM articles) AS articles',
  );
  return { users: Number(rows[0]?.users ?? 0), articles: Number(rows[0]?.articles ?? 0) };
}

/**
 * For a first look in development: an empty database gets the small deterministic demo set
 * (the same as `pnpm db:seed`), so /api/articles has something to show. A database holding
 * anything at all is left alone. Returns whether it seeded; `log` gets one line saying so.
 */
export async function seedDemoIfEmpty(
  pool: pg.Pool,
  log: (line: string) => void,
): Promise<boolean> {
  const before = await countContent(pool);
  if (before.users + before.articles > 0) return false;
  const result = await seedDatabase(pool, { scale: 0.05 });
  log(
    `empty database: seeded a demo set of ${result.rows.users ?? 0} users and ${result.rows.articles ?? 0} articles (DEMO_DATA=false turns this off; pnpm db:seed --reset replaces them)`,
  );
  return true;
}

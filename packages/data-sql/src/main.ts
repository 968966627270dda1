// `pnpm --filter @roadmap/data-sql start`: find a database (DATABASE_URL, the local server, or
// embedded PGlite), migrate it, print what is there, and exit. The apps do the same on start-up
// through resolveDatabase() + migrate().
import { runMain } from '@roadmap/kit';
import { migrate } from './db/migrate';
import { createPool } from './db/pool';
import { resolveDatabase } from './db/resolve-database';

const TABLES = [
  'users',
  'follows',
  'articles',
  'tags',
  'article_tags',
  'favorites',
  'comments',
  'outbox',
];

runMain(async () => {
  const db = await resolveDatabase();
  const pool = createPool(db.url);
  try {
    const applied = await migrate(db.url);
    const rows: [string, string][] = [
      ['database', db.description],
      [
        'migrations applied now',
        applied.length ? applied.map((m) => m.name).join(', ') : 'none (up to date)',
      ],
    ];
    for (const table of TABLES) {
      const { rows: r } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table}`,
      );
      rows.push([table, `${r[0]!.n} rows`]);
    }
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    if (db.embedded)
      process.stdout.write(
        '\nNo PostgreSQL answered on 127.0.0.1:5432, so this ran on embedded PGlite.\n',
      );
  } finally {
    await pool.end();
    await db.close();
  }
});

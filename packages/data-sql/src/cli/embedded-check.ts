// `pnpm --filter @roadmap/data-sql check:embedded`: starts embedded PGlite on a free port, runs
// the migrations and a few repository calls through plain `pg`, prints one JSON line, stops.
// (A script, not an in-jest check: PGlite loads its WebAssembly through a dynamic import(),
// which jest's CommonJS sandbox refuses; test/embedded.test.ts runs this in a child process.)
import { runMain } from '@roadmap/kit';
import { createArticle, listArticles } from '../articles/articles.repository';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { startEmbeddedPostgres } from '../db/resolve-database';
import { insertUser } from '../users/users.repository';

runMain(async () => {
  const started = performance.now();
  const db = await startEmbeddedPostgres();
  const pool = createPool(db.url, { statementTimeoutMs: 30_000 });
  try {
    const migrations = (await migrate(db.url)).length;
    const user = await insertUser(pool, {
      email: 'jake@example.com',
      username: 'jake',
      passwordHash: null,
    });
    await createArticle(pool, user.id, {
      title: 'Embedded',
      description: 'd',
      body: 'b',
      tagList: ['wasm'],
    });
    const page = await listArticles(pool, { tag: 'wasm' }, user.id);
    const version = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
    process.stdout.write(
      `${JSON.stringify({ embedded: db.embedded, migrations, page, version, ms: Math.round(performance.now() - started) })}\n`,
    );
  } finally {
    await pool.end();
    await db.close();
  }
});

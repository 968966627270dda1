// `pnpm --filter @roadmap/data-sql lesson:transactions`
// Atomicity: a multi-step write that fails halfway, without and with a transaction.
// Isolation: the last-admin race (write skew) under READ COMMITTED and SERIALIZABLE.
import { randomBytes } from 'node:crypto';
import { isAppError, runMain } from '@roadmap/kit';
import type pg from 'pg';
import { createArticle } from '../articles/articles.repository';
import { withTransaction } from '../db/transaction';
import { insertUser } from '../users/users.repository';
import { barrier, demoteAdminUnlessLast } from './isolation';
import { openLessonDatabase, print } from './lesson-db';

/** Sign-up that also publishes a first article, then fails on a third step (a taken email). */
async function signUpWithArticle(db: pg.Pool | pg.PoolClient, name: string): Promise<void> {
  const user = await insertUser(db, {
    email: `${name}@example.com`,
    username: name,
    passwordHash: null,
  });
  await createArticle(db, user.id, { title: `Hello from ${name}`, description: 'd', body: 'b' });
  await insertUser(db, {
    email: `${name}@example.com`,
    username: `${name}_again`,
    passwordHash: null,
  });
}

async function leftovers(pool: pg.Pool, name: string): Promise<string> {
  const { rows } = await pool.query<{ users: number; articles: number }>(
    `SELECT (SELECT count(*)::int FROM users WHERE username = $1) AS users,
            (SELECT count(*)::int FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = $1) AS articles`,
    [name],
  );
  return `${rows[0]!.users} user row(s), ${rows[0]!.articles} article row(s) left`;
}

const failure = (err: unknown) =>
  isAppError(err) ? JSON.stringify(err.details) : err instanceof Error ? err.message : String(err);

runMain(async () => {
  const lesson = await openLessonDatabase();
  const pool = lesson.pool;
  try {
    const a = `tx_${randomBytes(3).toString('hex')}`;
    print('1. Three steps on the pool, no transaction: each statement commits on its own.');
    await signUpWithArticle(pool, a).catch((err) => print(`   step 3 failed: ${failure(err)}`));
    print(`   → ${await leftovers(pool, a)} (a half-done sign-up).\n`);

    const b = `tx_${randomBytes(3).toString('hex')}`;
    print('2. The same three steps inside withTransaction: the failure rolls back steps 1 and 2.');
    await withTransaction(pool, (client) => signUpWithArticle(client, b)).catch((err) =>
      print(`   step 3 failed: ${failure(err)}`),
    );
    print(`   → ${await leftovers(pool, b)} (all or nothing).\n`);

    print(
      '3. Isolation: two admins demote each other at the same moment; the rule is "keep ≥ 1 admin".',
    );
    for (const level of ['READ COMMITTED', 'SERIALIZABLE'] as const) {
      await pool.query("UPDATE users SET role = 'user' WHERE role = 'admin'");
      const ids = await Promise.all(
        [1, 2].map(async () => {
          const name = `adm_${randomBytes(3).toString('hex')}`;
          return (
            await insertUser(pool, {
              email: `${name}@example.com`,
              username: name,
              passwordHash: null,
              role: 'admin',
            })
          ).id;
        }),
      );
      const bothChecked = barrier(2);
      const results = await Promise.allSettled(
        ids.map((id) => demoteAdminUnlessLast(pool, id, level, bothChecked)),
      );
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM users WHERE role = 'admin'",
      );
      const outcome = results.map((r) =>
        r.status === 'fulfilled' ? 'demoted' : `refused (${failure(r.reason)})`,
      );
      print(`   ${level.padEnd(15)} → ${outcome.join(', ')}; admins left: ${rows[0]!.n}`);
    }
    print(
      '   READ COMMITTED lets both read "2 admins" and both write: write skew. SERIALIZABLE aborts one',
    );
    print('   (40001); withTransaction retries it, the retry reads "1 admin" and refuses.');
  } finally {
    await lesson.close();
  }
});

import { AppError } from '@roadmap/kit';
import { createArticle, createPool, insertUser, query, withTransaction } from '../src';
import { barrier, demoteAdminUnlessLast } from '../src/lessons/isolation';
import { useMigratedDatabase, makeUser, unique } from './support/database';

const db = useMigratedDatabase('tx');

describe('withTransaction', () => {
  test('when every step succeeds, then all rows are committed and the result is returned', async () => {
    const name = unique('tx');
    const result = await withTransaction(db.pool, async (client) => {
      const user = await insertUser(client, {
        email: `${name}@example.com`,
        username: name,
        passwordHash: null,
      });
      const article = await createArticle(client, user.id, {
        title: name,
        description: 'd',
        body: 'b',
        tagList: [name],
      });
      return article.slug;
    });
    expect(result).toBe(name);
    const { rows } = await db.pool.query(
      'SELECT u.username, a.slug FROM users u JOIN articles a ON a.author_id = u.id WHERE u.username = $1',
      [name],
    );
    expect(rows).toEqual([{ username: name, slug: name }]);
  });

  test('when the last step of a multi-step write fails, then no partial rows remain (atomicity)', async () => {
    const name = unique('atomic');
    const failure = withTransaction(db.pool, async (client) => {
      const user = await insertUser(client, {
        email: `${name}@example.com`,
        username: name,
        passwordHash: null,
      });
      await createArticle(client, user.id, {
        title: name,
        description: 'd',
        body: 'b',
        tagList: [name],
      });
      // The third step breaks a constraint: the user and the article above must vanish too.
      await insertUser(client, {
        email: `${name}@example.com`,
        username: `${name}-2`,
        passwordHash: null,
      });
    });
    await expect(failure).rejects.toMatchObject({
      status: 409,
      details: { email: ['has already been taken'] },
    });
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM users WHERE username LIKE $1)::int AS users,
              (SELECT count(*) FROM articles WHERE slug = $2)::int AS articles,
              (SELECT count(*) FROM tags WHERE name = $2)::int AS tags`,
      [`${name}%`, name],
    );
    expect(rows).toEqual([{ users: 0, articles: 0, tags: 0 }]);
  });

  test('when a transaction fails, then its connection goes back to the pool usable', async () => {
    for (let i = 0; i < 8; i++) {
      await expect(
        withTransaction(db.pool, async (client) => {
          await client.query('SELECT 1/0');
        }),
      ).rejects.toThrow('division by zero');
    }
    const { rows } = await db.pool.query('SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });
});

describe('withTransaction failures of its own statements', () => {
  test('when the database cannot be reached, then a 503 db_unavailable AppError, not a raw driver error', async () => {
    const dead = createPool('postgres://postgres@127.0.0.1:1/nothing', {
      connectionTimeoutMs: 1_000,
    });
    try {
      const failure = await withTransaction(dead, () => Promise.resolve('never')).then(
        () => new Error('expected a rejection'),
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({ status: 503, code: 'db_unavailable' });
    } finally {
      await dead.end();
    }
  });

  test('when SERIALIZABLE refuses a transaction only at COMMIT, then a 409 concurrent_update AppError', async () => {
    // Two transactions each read both rows and write one of them; neither has committed while
    // they write, so PostgreSQL can only detect the write skew when the second one commits.
    const a = await makeUser(db.pool, 'skew');
    const b = await makeUser(db.pool, 'skew');
    const bothWrote = barrier(2);
    const run = (me: number, waitFor?: () => Promise<unknown>) =>
      withTransaction(
        db.pool,
        async (client) => {
          await query(client, 'SELECT count(*) FROM users WHERE bio IS NULL AND id = ANY($1)', [
            [a.id, b.id],
          ]);
          await query(client, "UPDATE users SET bio = 'written' WHERE id = $1", [me]);
          await bothWrote();
          if (waitFor) await waitFor().catch(() => undefined);
        },
        { isolationLevel: 'SERIALIZABLE' },
      );
    const firstDone = run(a.id);
    const second = run(b.id, () => firstDone);
    const [first, last] = await Promise.allSettled([firstDone, second]);
    expect(first.status).toBe('fulfilled');
    expect(last.status).toBe('rejected');
    const reason = (last as PromiseRejectedResult).reason as unknown;
    expect(reason).toBeInstanceOf(AppError);
    expect(reason).toMatchObject({ status: 409, code: 'concurrent_update' });
    const { rows } = await db.pool.query<{ id: number }>(
      "SELECT id FROM users WHERE bio = 'written' AND id = ANY($1)",
      [[a.id, b.id]],
    );
    expect(rows).toEqual([{ id: a.id }]);
  });
});

describe('isolation levels: the last-admin race (write skew)', () => {
  async function twoAdmins() {
    await db.pool.query("UPDATE users SET role = 'user' WHERE role = 'admin'");
    return [
      await makeUser(db.pool, 'adm', { role: 'admin' }),
      await makeUser(db.pool, 'adm', { role: 'admin' }),
    ];
  }
  const admins = async () =>
    (await db.pool.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin'")).rows[0]
      .n as number;

  test('when two admins demote each other under READ COMMITTED, then both succeed and no admin is left', async () => {
    const [a, b] = await twoAdmins();
    const bothChecked = barrier(2);
    await Promise.all([
      demoteAdminUnlessLast(db.pool, a!.id, 'READ COMMITTED', bothChecked),
      demoteAdminUnlessLast(db.pool, b!.id, 'READ COMMITTED', bothChecked),
    ]);
    expect(await admins()).toBe(0);
  });

  test('when the same race runs under SERIALIZABLE, then one is refused and one admin remains', async () => {
    const [a, b] = await twoAdmins();
    const bothChecked = barrier(2);
    const results = await Promise.allSettled([
      demoteAdminUnlessLast(db.pool, a!.id, 'SERIALIZABLE', bothChecked),
      demoteAdminUnlessLast(db.pool, b!.id, 'SERIALIZABLE', bothChecked),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(AppError);
    expect((rejected[0]!.reason as AppError).details).toEqual({
      role: ['cannot demote the last admin'],
    });
    expect(await admins()).toBe(1);
  });
});

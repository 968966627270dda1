import net from 'node:net';
import { AppError } from '@roadmap/kit';
import { createBlackholeProxy } from '@roadmap/kit/testing';
import { createPool, listTags, mapPgError, query, resolveDatabase } from '../src';
import { useMigratedDatabase } from './support/database';

const db = useMigratedDatabase('failures');

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('timeouts and lost connections', () => {
  test('when a statement runs past statement_timeout, then a 503 db_timeout, and the pool still works', async () => {
    const pool = createPool(db.url, { statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      const error = await appError(query(pool, 'SELECT pg_sleep(5)'));
      expect(error).toMatchObject({ status: 503, code: 'db_timeout' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await query(pool, 'SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
    }
  });

  test('when the server kills the connection mid-query, then a 503 db_unavailable, not a hang', async () => {
    const pool = createPool(db.url);
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
        .pid;
      client.on('error', () => undefined);
      // Why wrap now: the rejection arrives while the kill below is awaited; a promise with no
      // handler attached at that moment would be reported as an unhandled rejection.
      const running = appError(query(client, 'SELECT pg_sleep(10)'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = await running;
      expect(error).toMatchObject({ status: 503, code: 'db_unavailable' });
      client.release(true);
    } finally {
      await pool.end();
    }
  });

  test('when the network goes silent mid-query, then query_timeout turns the hang into a 503', async () => {
    const proxy = await createBlackholeProxy(db.url, 5432);
    const pool = createPool(proxy.url, { statementTimeoutMs: 300 });
    pool.on('error', () => undefined);
    try {
      expect((await query(pool, 'SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      proxy.swallow();
      const started = Date.now();
      const error = await appError(query(pool, 'SELECT 2'));
      expect(error).toMatchObject({ status: 503, code: 'db_unavailable' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await proxy.close();
      await pool.end().catch(() => undefined);
    }
  });

  test('when nothing listens on the port, then the first query is a 503 db_unavailable', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:1/nothing', {
      connectionTimeoutMs: 1_000,
    });
    try {
      const error = await appError(query(pool, 'SELECT 1'));
      expect(error).toMatchObject({ status: 503, code: 'db_unavailable' });
    } finally {
      await pool.end();
    }
  });

  test('when the server accepts TCP but never answers, then connectionTimeout ends the wait', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const pool = createPool(`postgres://postgres@127.0.0.1:${port}/x`, {
      connectionTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      const error = await appError(query(pool, 'SELECT 1'));
      expect(error).toMatchObject({ status: 503, code: 'db_unavailable' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await pool.end();
      silent.close();
    }
  });
});

describe('mapPgError', () => {
  test('when given an AppError, then it is returned as is; an unknown error becomes a 500 keeping the cause', () => {
    const conflict = AppError.conflict('email');
    expect(mapPgError(conflict)).toBe(conflict);
    const boom = new Error('boom');
    expect(mapPgError(boom)).toMatchObject({ status: 500, code: 'internal', cause: boom });
  });

  test('when a string holds a NUL byte (22021), then a 422, not a 500', async () => {
    const error = await appError(query(db.pool, 'SELECT $1::text AS t', ['a\u0000b']));
    expect(error).toMatchObject({
      status: 422,
      details: { body: ['contains an invalid character'] },
    });
  });

  test('when a row is still referenced under ON DELETE RESTRICT, then a 409 says it is in use', async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      "WITH u AS (INSERT INTO users (email, username) VALUES ('r@x.io', 'r') RETURNING id) SELECT id FROM u",
    );
    const userId = rows[0]!.id;
    const a = await db.pool.query<{ id: number }>(
      "INSERT INTO articles (slug, title, description, body, author_id) VALUES ('r', 'r', 'r', 'r', $1) RETURNING id",
      [userId],
    );
    const t = await db.pool.query<{ id: number }>(
      "INSERT INTO tags (name) VALUES ('restricted') RETURNING id",
    );
    await db.pool.query('INSERT INTO article_tags (article_id, tag_id) VALUES ($1, $2)', [
      a.rows[0]!.id,
      t.rows[0]!.id,
    ]);
    const error = await appError(query(db.pool, 'DELETE FROM tags WHERE id = $1', [t.rows[0]!.id]));
    expect(error).toMatchObject({ status: 409, details: { tag: ['is still in use'] } });
  });
});

describe('createPool({ preparedStatements: true })', () => {
  test('when a repository query runs twice, then the connection holds one named prepared statement for it', async () => {
    const pool = createPool(db.url, { max: 1, preparedStatements: true });
    try {
      await listTags(pool);
      await listTags(pool);
      const { rows } = await pool.query<{ name: string; statement: string }>(
        'SELECT name, statement FROM pg_prepared_statements',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.name).toMatch(/^q_[0-9a-f]{16}$/);
      expect(rows[0]!.statement).toContain('FROM tags');
    } finally {
      await pool.end();
    }
  });
});

describe('choosing the database for `pnpm start`', () => {
  test('when DATABASE_URL points where nothing answers, then one message names the variable and what to do, instead of a raw ECONNREFUSED', async () => {
    const failure = await resolveDatabase({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/conduit',
    }).then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error as Error,
    );
    expect(failure.message).toBe(
      'DATABASE_URL points at 127.0.0.1:1, where no PostgreSQL answers (ECONNREFUSED) — start PostgreSQL there, or unset DATABASE_URL to use the local server or the embedded PGlite fallback.',
    );
  });
});

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { withTransaction } from '../db/transaction';
import { createRandom, type Random } from './random';
import { FIRST_NAMES, LAST_NAMES, TAGS, WORDS } from './words';

export interface SeedOptions {
  /**
   * Size multiplier. 1 → 1,000 users, 10,000 articles, ~100,000 favorites, ~20,000 follows,
   * ~20,000 comments, ~30,000 tag links. 10 is the benchmark size (10k users, 100k articles,
   * 1M favorites). Default 0.05: a small demo set.
   */
  scale?: number;
  /** PRNG seed: the same seed and scale always give the same rows. */
  seed?: number;
  log?: (message: string) => void;
}

export interface SeedResult {
  rows: Record<string, number>;
  totalRows: number;
  ms: number;
  rowsPerSecond: number;
}

/** The tables the seed replaces, children first. */
const TABLES = [
  'comments',
  'favorites',
  'follows',
  'article_tags',
  'articles',
  'tags',
  'users',
] as const;

/** COPY text format: backslash, tab and newline must be escaped; NULL is \N. */
function esc(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

const line = (values: (string | number | null)[]) => `${values.map(esc).join('\t')}\n`;

/** Batches generated lines into ~64 KB chunks: one write per chunk, not per row. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const l of lines) {
    buffer += l;
    if (buffer.length > 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * Streams rows into one table with COPY … FROM STDIN. Why COPY: one statement, no per-row
 * parse/plan/round trip; it is the fastest way to load PostgreSQL (see the bench for figures).
 */
async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  rows: Iterable<string>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunked(rows)), stream);
  return stream.rowCount;
}

/**
 * PostgreSQL's own advice for bulk loads ("Populating a Database"): drop secondary indexes and
 * foreign keys, load, then recreate them. Building an index once over sorted data beats
 * updating it row by row, and re-adding a foreign key checks all rows in one join instead of
 * one lookup per inserted row. Primary keys stay. Returns the function that puts it all back;
 * all of it runs inside the seed transaction, so a failure restores the schema as it was.
 */
async function dropSecondaryStructures(client: pg.PoolClient): Promise<() => Promise<void>> {
  const tables = [...TABLES];
  const fks = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint
      WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
    [tables],
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')`,
    [tables],
  );
  for (const fk of fks.rows) await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.name}`);
  for (const index of indexes.rows) {
    // A UNIQUE constraint owns its index: drop the constraint, recreate it from the index.
    const owned = await client.query<{ tbl: string }>(
      `SELECT conrelid::regclass::text AS tbl FROM pg_constraint WHERE conname = $1 AND contype = 'u'`,
      [index.name],
    );
    if (owned.rows[0])
      await client.query(`ALTER TABLE ${owned.rows[0].tbl} DROP CONSTRAINT ${index.name}`);
    else await client.query(`DROP INDEX ${index.name}`);
  }
  return async () => {
    for (const index of indexes.rows) {
      await client.query(index.def);
      const tbl = /ON (?:\w+\.)?(\w+)/.exec(index.def)?.[1];
      if (/^CREATE UNIQUE INDEX/.test(index.def) && tbl && !/\(lower\(/.test(index.def)) {
        await client.query(
          `ALTER TABLE ${tbl} ADD CONSTRAINT ${index.name} UNIQUE USING INDEX ${index.name}`,
        );
      }
    }
    for (const fk of fks.rows)
      await client.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.name} ${fk.def}`);
  };
}

function sentence(random: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random.pick(WORDS));
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const BASE_TIME = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Replaces the Conduit content tables with a deterministic data set. Everything happens in one
 * transaction: a failed seed leaves the previous data untouched.
 */
export async function seedDatabase(pool: pg.Pool, opts: SeedOptions = {}): Promise<SeedResult> {
  const scale = opts.scale ?? 0.05;
  const log = opts.log ?? (() => undefined);
  const random = createRandom(opts.seed ?? 42);
  const users = Math.max(10, Math.round(1_000 * scale));
  const articles = Math.max(20, Math.round(10_000 * scale));
  const favoritesPerUser = Math.min(articles, 100);
  const followsPerUser = Math.min(users - 1, 20);
  const started = performance.now();
  const rows: Record<string, number> = {};

  // Favorites are generated first so each article's favorites_count is known when the article
  // row is written: the trigger that normally maintains it is off during the bulk load.
  const favoritePairs: [number, number][] = [];
  const favoritesCount = new Int32Array(articles + 1);
  for (let u = 1; u <= users; u++) {
    const chosen = new Set<number>();
    const n = 1 + random.int(favoritesPerUser * 2 - 1);
    for (let k = 0; chosen.size < Math.min(n, articles) && k < n * 4; k++)
      chosen.add(1 + random.skewed(articles));
    for (const a of chosen) {
      favoritePairs.push([u, a]);
      favoritesCount[a]! += 1;
    }
  }

  await withTransaction(pool, async (client) => {
    await client.query('SET LOCAL synchronous_commit = off');
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    await client.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await client.query('ALTER TABLE favorites DISABLE TRIGGER favorites_count_sync');
    const restore = await dropSecondaryStructures(client);
    log(`prepared in ${(performance.now() - started).toFixed(0)} ms`);

    rows.users = await copyRows(
      client,
      'users',
      [
        'id',
        'email',
        'username',
        'password_hash',
        'bio',
        'image',
        'role',
        'created_at',
        'updated_at',
      ],
      (function* () {
        for (let u = 1; u <= users; u++) {
          const username = `${random.pick(FIRST_NAMES)}_${random.pick(LAST_NAMES)}_${u}`;
          const bio = random.next() < 0.6 ? sentence(random, 8) : null;
          const image = random.next() < 0.5 ? `https://i.pravatar.cc/150?u=${u}` : null;
          const role = u === 1 ? 'admin' : u <= 3 ? 'editor' : 'user';
          const at = iso(BASE_TIME + u * 60_000);
          yield line([u, `${username}@example.com`, username, null, bio, image, role, at, at]);
        }
      })(),
    );
    rows.tags = await copyRows(
      client,
      'tags',
      ['id', 'name'],
      TAGS.map((name, i) => line([i + 1, name])),
    );
    rows.articles = await copyRows(
      client,
      'articles',
      [
        'id',
        'slug',
        'title',
        'description',
        'body',
        'author_id',
        'favorites_count',
        'created_at',
        'updated_at',
      ],
      (function* () {
        for (let a = 1; a <= articles; a++) {
          const title = sentence(random, 3 + random.int(5));
          const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${a}`;
          const at = iso(BASE_TIME + a * 300_000 + random.int(300_000));
          yield line([
            a,
            slug,
            title,
            sentence(random, 12),
            `${sentence(random, 40)}.\n\n${sentence(random, 30)}.`,
            1 + random.skewed(users),
            favoritesCount[a]!,
            at,
            at,
          ]);
        }
      })(),
    );
    rows.article_tags = await copyRows(
      client,
      'article_tags',
      ['article_id', 'tag_id', 'position'],
      (function* () {
        for (let a = 1; a <= articles; a++) {
          const chosen = new Set<number>();
          const n = random.int(6);
          for (let k = 0; k < n; k++) chosen.add(1 + random.skewed(TAGS.length, 1.8));
          let position = 1;
          for (const t of chosen) yield line([a, t, position++]);
        }
      })(),
    );
    rows.favorites = await copyRows(
      client,
      'favorites',
      ['user_id', 'article_id'],
      (function* () {
        for (const [u, a] of favoritePairs) yield line([u, a]);
      })(),
    );
    rows.follows = await copyRows(
      client,
      'follows',
      ['follower_id', 'followee_id'],
      (function* () {
        for (let u = 1; u <= users; u++) {
          const chosen = new Set<number>();
          const n = random.int(followsPerUser * 2);
          for (let k = 0; k < n * 2 && chosen.size < n; k++) {
            const other = 1 + random.skewed(users, 2);
            if (other !== u) chosen.add(other);
          }
          for (const other of chosen) yield line([u, other]);
        }
      })(),
    );
    rows.comments = await copyRows(
      client,
      'comments',
      ['id', 'body', 'article_id', 'author_id', 'created_at', 'updated_at'],
      (function* () {
        let id = 1;
        for (let a = 1; a <= articles; a++) {
          const n = random.int(5);
          for (let k = 0; k < n; k++) {
            const at = iso(BASE_TIME + a * 300_000 + 600_000 + k * 60_000);
            yield line([id++, sentence(random, 10), a, 1 + random.int(users), at, at]);
          }
        }
      })(),
    );

    log(`loaded in ${(performance.now() - started).toFixed(0)} ms`);
    await restore();
    log(`indexes and foreign keys rebuilt in ${(performance.now() - started).toFixed(0)} ms`);
    await client.query('ALTER TABLE favorites ENABLE TRIGGER favorites_count_sync');
    // Explicit ids were COPYed, so each identity sequence must move past them.
    for (const table of ['users', 'tags', 'articles', 'comments']) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`,
      );
    }
  });
  // Fresh statistics, so the planner sees the new sizes right away (lessons and bench rely on it).
  await pool.query(`ANALYZE ${TABLES.join(', ')}`);

  const ms = performance.now() - started;
  const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
  const result = { rows, totalRows, ms, rowsPerSecond: Math.round(totalRows / (ms / 1000)) };
  log(`seeded ${totalRows} rows in ${(ms / 1000).toFixed(2)} s (${result.rowsPerSecond} rows/s)`);
  return result;
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { probeService, serviceUrl, unreachableMessage } from '../services';

export interface TestDatabase {
  /** Connection string of this file's own database. */
  url: string;
  pool: pg.Pool;
  name: string;
  /** Closes the pool and drops the database. Call in afterAll. */
  drop: () => Promise<void>;
}

export interface TestDatabaseOptions {
  /** Short label for the database name, e.g. the test file: test_<name>_<random>. */
  name: string;
  /** Prepares an empty database (run migrations, load fixtures). */
  setup?: (url: string) => Promise<void>;
  /**
   * When set, `setup` runs once into a template database named after this key and every test
   * database is a copy of it (CREATE DATABASE … TEMPLATE): migrating once, copying is cheap.
   * Change the key when what setup does changes (e.g. a hash of the migration files).
   */
  templateKey?: string;
}

const SAFE_NAME = /^test_[a-z0-9_]+$/;

/** Why refuse: a helper that drops databases must never be pointed at a real one. */
export function assertTestDatabaseName(name: string): void {
  if (!SAFE_NAME.test(name) || name.length > 63) {
    throw new Error(
      `Refusing to use database "${name}": test databases must match ${SAFE_NAME} (at most 63 characters).`,
    );
  }
}

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || serviceUrl('postgres'); // empty = unset, as in .env
}

export function databaseUrl(base: string, database: string): string {
  const parsed = new URL(base);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);

/** A fresh, isolated PostgreSQL database for one test file. */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const admin = await connectAdmin();
  const name = `test_${slug(options.name)}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  try {
    if (options.templateKey !== undefined && options.setup) {
      const template = await ensureTemplate(admin, options.templateKey, options.setup);
      await createFromTemplate(admin, name, template);
    } else {
      await admin.query(`CREATE DATABASE ${name}`);
      if (options.setup) await options.setup(databaseUrl(adminUrl(), name));
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl(), name);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  return {
    url,
    pool,
    name,
    drop: async () => {
      await pool.end();
      await dropTestDatabase(name);
    },
  };
}

export async function dropTestDatabase(name: string): Promise<void> {
  assertTestDatabaseName(name);
  const admin = await connectAdmin();
  try {
    await waitForDisconnects(admin, name);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Why wait before FORCE: a client that has just called end() is still connected for a moment;
 * terminating it then makes it emit a 57P01 'error' event with no listener, which crashes the
 * test file that owned it. Only connections still there after the grace period are cut.
 */
async function waitForDisconnects(admin: pg.Client, name: string, graceMs = 5_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connectAdmin(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return client;
  } catch {
    const probe = await probeService('postgres', adminUrl());
    throw new Error(unreachableMessage(probe));
  }
}

async function ensureTemplate(
  admin: pg.Client,
  key: string,
  setup: (url: string) => Promise<void>,
): Promise<string> {
  const template = `test_tpl_${slug(key)}`;
  assertTestDatabaseName(template);
  // Why an advisory lock: jest runs files in parallel; exactly one of them builds the template.
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount === 0) {
      const building = `${template.slice(0, 50)}_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      try {
        await setup(databaseUrl(adminUrl(), building));
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        throw error;
      }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  }
  return template;
}

async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      // "source database is being accessed by other users": another file is copying it now.
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

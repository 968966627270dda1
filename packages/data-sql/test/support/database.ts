import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createTestDatabase } from '@roadmap/kit/testing';
import { AppError } from '@roadmap/kit';
import { createPool, insertUser, migrate, MIGRATIONS_DIR, type Role, type User } from '../../src';

/** Changes whenever a migration file changes, so a stale template is never reused. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

export interface MigratedDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
  drop: () => Promise<void>;
}

/**
 * This test file's own database (test_datasql_<label>_<random>), a copy of a template that
 * was migrated once for the whole run.
 */
export async function createMigratedDatabase(label: string): Promise<MigratedDatabase> {
  const db = await createTestDatabase({
    name: `datasql_${label}`,
    templateKey: `datasql_${migrationsHash()}`,
    setup: async (url) => {
      await migrate(url);
    },
  });
  const pool = createPool(db.url, { max: 5, applicationName: `test_datasql_${label}` });
  return {
    url: db.url,
    name: db.name,
    pool,
    drop: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

/** A user with a unique name, so tests in one file never collide. */
export async function makeUser(
  db: pg.Pool | pg.PoolClient,
  label = 'user',
  extra: { bio?: string; image?: string; role?: Role } = {},
): Promise<User> {
  const id = randomBytes(4).toString('hex');
  return insertUser(db, {
    email: `${label}-${id}@example.com`,
    username: `${label}_${id}`,
    passwordHash: 'hash',
    bio: extra.bio ?? null,
    image: extra.image ?? null,
    role: extra.role ?? 'user',
  });
}

export const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

/** Awaits a promise that must reject with an AppError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection, got a result');
}

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type TestDatabase } from '@roadmap/kit/testing';
import { AppError } from '@roadmap/kit';
import { insertUser, type Role, type User } from '../../src';
import { createMigratedTestDatabase } from '../../src/testing';

export type MigratedDatabase = TestDatabase;

/**
 * This test file's own migrated database (test_datasql_<label>_<random>): registers the
 * beforeAll that creates it and the afterAll that drops it. Read its fields inside tests
 * only — before beforeAll has run there is no database yet.
 */
export function useMigratedDatabase(label: string): MigratedDatabase {
  let db: MigratedDatabase | undefined;
  beforeAll(async () => {
    db = await createMigratedTestDatabase(`datasql_${label}`);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const current = (): MigratedDatabase => {
    if (!db) throw new Error(`the ${label} test database is used before beforeAll created it`);
    return db;
  };
  return {
    get url() {
      return current().url;
    },
    get name() {
      return current().name;
    },
    get pool() {
      return current().pool;
    },
    drop: () => current().drop(),
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

import { query, type Db } from '../db/pool';

export const ROLES = ['user', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A user as stored. passwordHash never leaves the service layer; the API maps what it shows. */
export interface User {
  id: number;
  email: string;
  username: string;
  passwordHash: string | null;
  bio: string | null;
  image: string | null;
  role: Role;
  /** Access tokens signed with an older generation are refused (see bumpTokenGeneration). */
  tokenGeneration: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  username: string;
  /** null for an account created through OAuth. */
  passwordHash: string | null;
  bio?: string | null;
  image?: string | null;
  role?: Role;
}

/** undefined = leave unchanged; null (bio, image) = clear. */
export interface UserPatch {
  email?: string;
  username?: string;
  passwordHash?: string | null;
  bio?: string | null;
  image?: string | null;
}

interface UserRow {
  id: number;
  email: string;
  username: string;
  password_hash: string | null;
  bio: string | null;
  image: string | null;
  role: Role;
  token_generation: number;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS =
  'id, email, username, password_hash, bio, image, role, token_generation, created_at, updated_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    passwordHash: row.password_hash,
    bio: row.bio,
    image: row.image,
    role: row.role,
    tokenGeneration: row.token_generation,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Throws a 409 AppError naming `email` or `username` when either is taken (any letter case). */
export async function insertUser(db: Db, user: NewUser): Promise<User> {
  const { rows } = await query<UserRow>(
    db,
    `INSERT INTO users (email, username, password_hash, bio, image, role)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${USER_COLUMNS}`,
    [
      user.email,
      user.username,
      user.passwordHash,
      user.bio ?? null,
      user.image ?? null,
      user.role ?? 'user',
    ],
  );
  return toUser(rows[0]!);
}

export async function findUserById(db: Db, id: number): Promise<User | null> {
  const { rows } = await query<UserRow>(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    id,
  ]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Case-insensitive: lower(email) is what the unique index covers, so this is an index lookup. */
export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const { rows } = await query<UserRow>(
    db,
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** Case-insensitive, like findUserByEmail. */
export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const { rows } = await query<UserRow>(
    db,
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`,
    [username],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  email: 'email',
  username: 'username',
  passwordHash: 'password_hash',
  bio: 'bio',
  image: 'image',
};

/** Updates only the given fields; returns null when the user does not exist. */
export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<User | null> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const key of Object.keys(PATCH_COLUMNS) as (keyof UserPatch)[]) {
    if (patch[key] === undefined) continue;
    values.push(patch[key]);
    // Why a fixed map: column names cannot be parameters, so they come from this list only,
    // never from the caller's object keys.
    sets.push(`${PATCH_COLUMNS[key]} = $${values.length}`);
  }
  if (sets.length === 0) return findUserById(db, id);
  const { rows } = await query<UserRow>(
    db,
    `UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    values,
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export interface ListUsersOptions {
  limit?: number;
  offset?: number;
  role?: Role;
}

/** Oldest first; the page and the total are two queries sent at once. */
export async function listUsers(
  db: Db,
  opts: ListUsersOptions = {},
): Promise<{ users: User[]; usersCount: number }> {
  const values: unknown[] = [opts.limit ?? 20, opts.offset ?? 0];
  let where = '';
  if (opts.role) {
    values.push(opts.role);
    where = 'WHERE role = $3';
  }
  const [page, count] = await Promise.all([
    query<UserRow>(
      db,
      `SELECT ${USER_COLUMNS} FROM users ${where} ORDER BY id LIMIT $1 OFFSET $2`,
      values,
    ),
    query<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM users ${where.replace('$3', '$1')}`,
      values.slice(2),
    ),
  ]);
  return { users: page.rows.map(toUser), usersCount: count.rows[0]?.n ?? 0 };
}

/**
 * A new role also means a new token generation, in the same statement: access tokens carry
 * the role they were signed with, so every one issued before the change must be refused.
 */
export async function setUserRole(db: Db, userId: number, role: Role): Promise<User | null> {
  const { rows } = await query<UserRow>(
    db,
    `UPDATE users
        SET role = $2,
            token_generation = token_generation + (CASE WHEN role = $2 THEN 0 ELSE 1 END),
            updated_at = now()
      WHERE id = $1
  RETURNING ${USER_COLUMNS}`,
    [userId, role],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** The user's current token generation, or null when there is no such user. */
export async function findTokenGeneration(db: Db, userId: number): Promise<number | null> {
  const { rows } = await query<{ token_generation: number }>(
    db,
    'SELECT token_generation FROM users WHERE id = $1',
    [userId],
  );
  return rows[0]?.token_generation ?? null;
}

/**
 * Refuses every access token issued to the user so far (password change, "log out
 * everywhere"): the new generation is returned, or null when there is no such user.
 */
export async function bumpTokenGeneration(db: Db, userId: number): Promise<number | null> {
  const { rows } = await query<{ token_generation: number }>(
    db,
    'UPDATE users SET token_generation = token_generation + 1 WHERE id = $1 RETURNING token_generation',
    [userId],
  );
  return rows[0]?.token_generation ?? null;
}

/** E.g. "is this the last admin?" before a demotion (partial index users_role_idx). */
export async function countUsersWithRole(db: Db, role: Role): Promise<number> {
  const { rows } = await query<{ n: number }>(
    db,
    'SELECT count(*)::int AS n FROM users WHERE role = $1',
    [role],
  );
  return rows[0]?.n ?? 0;
}

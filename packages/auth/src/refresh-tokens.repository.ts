import type { Db } from '@roadmap/data-sql';

/**
 * SQL for refresh-token families (tables from data-sql's identities-and-refresh-tokens
 * migration). A family is one login; every refresh adds a token to it and marks the old one
 * used. Plain functions over `db`, returning plain objects.
 */
export interface StoredRefreshToken {
  id: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface TokenFamily {
  id: string;
  userId: number;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export type RevokeReason = 'logout' | 'reuse' | 'admin' | 'password-changed';

export async function createFamily(db: Db, userId: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO refresh_token_families (user_id) VALUES ($1) RETURNING id',
    [userId],
  );
  return rows[0]!.id;
}

export async function insertRefreshToken(
  db: Db,
  token: { id: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO refresh_tokens (id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
    [token.id, token.familyId, token.tokenHash, token.expiresAt],
  );
}

/**
 * Locks the token row until the transaction ends. Why FOR UPDATE on the token itself: a second
 * refresh racing with the same token waits here, and then reads the *committed* row, with
 * used_at set — so it is seen as reuse instead of minting a second successor.
 */
export async function findRefreshTokenForUpdate(
  db: Db,
  id: string,
): Promise<StoredRefreshToken | null> {
  const { rows } = await db.query<{
    id: string;
    family_id: string;
    token_hash: string;
    expires_at: Date;
    used_at: Date | null;
  }>(
    'SELECT id, family_id, token_hash, expires_at, used_at FROM refresh_tokens WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        familyId: row.family_id,
        tokenHash: row.token_hash,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    : null;
}

export async function findFamily(db: Db, id: string): Promise<TokenFamily | null> {
  const { rows } = await db.query<{
    id: string;
    user_id: number;
    revoked_at: Date | null;
    revoked_reason: string | null;
  }>('SELECT id, user_id, revoked_at, revoked_reason FROM refresh_token_families WHERE id = $1', [
    id,
  ]);
  const row = rows[0];
  return row
    ? {
        id: row.id,
        userId: row.user_id,
        revokedAt: row.revoked_at,
        revokedReason: row.revoked_reason,
      }
    : null;
}

export async function markRefreshTokenUsed(db: Db, id: string, replacedBy: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET used_at = now(), replaced_by = $2 WHERE id = $1', [
    id,
    replacedBy,
  ]);
}

/** Idempotent: an already revoked family keeps its first reason. */
export async function revokeFamily(db: Db, familyId: string, reason: RevokeReason): Promise<void> {
  await db.query(
    'UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [familyId, reason],
  );
}

/** Every live login of one user (e.g. after a password change or a role change). */
export async function revokeAllFamiliesOfUser(
  db: Db,
  userId: number,
  reason: RevokeReason,
): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL',
    [userId, reason],
  );
  return rowCount ?? 0;
}

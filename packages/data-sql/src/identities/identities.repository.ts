// Storage for the auth stage: OAuth identities and rotating refresh tokens. The policy (when to
// rotate, what reuse means) belongs to @roadmap/auth; these functions only read and write rows.
import { query, type Db } from '../db/pool';
import { findUserById, type User } from '../users/users.repository';

export interface OAuthIdentity {
  id: number;
  provider: string;
  subject: string;
  userId: number;
  email: string | null;
  createdAt: Date;
}

interface IdentityRow {
  id: number;
  provider: string;
  subject: string;
  user_id: number;
  email: string | null;
  created_at: Date;
}

const toIdentity = (r: IdentityRow): OAuthIdentity => ({
  id: r.id,
  provider: r.provider,
  subject: r.subject,
  userId: r.user_id,
  email: r.email,
  createdAt: r.created_at,
});

/** Links a provider account to a user; a (provider, subject) already linked → 409 `identity`. */
export async function linkOAuthIdentity(
  db: Db,
  input: { provider: string; subject: string; userId: number; email?: string | null },
): Promise<OAuthIdentity> {
  const { rows } = await query<IdentityRow>(
    db,
    `INSERT INTO oauth_identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4) RETURNING *`,
    [input.provider, input.subject, input.userId, input.email ?? null],
  );
  return toIdentity(rows[0]!);
}

/** The user signed in as (provider, subject), or null when that identity is not linked yet. */
export async function findUserByOAuthIdentity(
  db: Db,
  provider: string,
  subject: string,
): Promise<User | null> {
  const { rows } = await query<{ user_id: number }>(
    db,
    'SELECT user_id FROM oauth_identities WHERE provider = $1 AND subject = $2',
    [provider, subject],
  );
  return rows[0] ? findUserById(db, rows[0].user_id) : null;
}

export interface RefreshToken {
  id: string;
  familyId: string;
  userId: number;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  replacedBy: string | null;
  /** When the whole family was revoked (logout, reuse detected), else null. */
  familyRevokedAt: Date | null;
}

interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: number;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  replaced_by: string | null;
  family_revoked_at: Date | null;
}

const toRefreshToken = (r: RefreshTokenRow): RefreshToken => ({
  id: r.id,
  familyId: r.family_id,
  userId: r.user_id,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  replacedBy: r.replaced_by,
  familyRevokedAt: r.family_revoked_at,
});

/** A new family (one per login); returns its id. */
export async function createRefreshTokenFamily(db: Db, userId: number): Promise<string> {
  const { rows } = await query<{ id: string }>(
    db,
    'INSERT INTO refresh_token_families (user_id) VALUES ($1) RETURNING id',
    [userId],
  );
  return rows[0]!.id;
}

/**
 * Stores the hash of a token (never the token); a duplicate hash → 409 `token`. `id` is given
 * when the token carries its own id (auth signs it into the JWT as `jti`); else one is drawn.
 */
export async function insertRefreshToken(
  db: Db,
  input: { id?: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<RefreshToken> {
  const { rows } = await query<RefreshTokenRow>(
    db,
    `WITH t AS (
       INSERT INTO refresh_tokens (id, family_id, token_hash, expires_at)
       VALUES (COALESCE($4::uuid, gen_random_uuid()), $1, $2, $3) RETURNING *
     )
     SELECT t.*, f.user_id, f.revoked_at AS family_revoked_at
       FROM t JOIN refresh_token_families f ON f.id = t.family_id`,
    [input.familyId, input.tokenHash, input.expiresAt, input.id ?? null],
  );
  return toRefreshToken(rows[0]!);
}

/**
 * One token by id, its row locked until the transaction ends. Why lock the token itself: a
 * second refresh racing with the same token waits here, then reads the *committed* row with
 * used_at set — so it is seen as reuse instead of minting a second successor.
 */
export async function findRefreshTokenForUpdate(
  db: Db,
  tokenId: string,
): Promise<RefreshToken | null> {
  const { rows } = await query<RefreshTokenRow>(
    db,
    `SELECT t.*, f.user_id, f.revoked_at AS family_revoked_at
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
      WHERE t.id = $1
        FOR UPDATE OF t`,
    [tokenId],
  );
  return rows[0] ? toRefreshToken(rows[0]) : null;
}

export async function findRefreshTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<RefreshToken | null> {
  const { rows } = await query<RefreshTokenRow>(
    db,
    `SELECT t.*, f.user_id, f.revoked_at AS family_revoked_at
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
      WHERE t.token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ? toRefreshToken(rows[0]) : null;
}

/**
 * Marks a token used, only if it was unused: returns false when someone used it first. Why a
 * conditional UPDATE: two concurrent refreshes with the same token cannot both win, so a
 * stolen token replayed in parallel is still detected as reuse.
 */
export async function markRefreshTokenUsed(
  db: Db,
  tokenId: string,
  replacedBy: string | null = null,
): Promise<boolean> {
  const { rowCount } = await query(
    db,
    'UPDATE refresh_tokens SET used_at = now(), replaced_by = $2 WHERE id = $1 AND used_at IS NULL',
    [tokenId, replacedBy],
  );
  return (rowCount ?? 0) > 0;
}

/** Revokes one family (e.g. reuse detected, or logout). Returns false if already revoked. */
export async function revokeRefreshTokenFamily(
  db: Db,
  familyId: string,
  reason: string,
): Promise<boolean> {
  const { rowCount } = await query(
    db,
    'UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [familyId, reason],
  );
  return (rowCount ?? 0) > 0;
}

/** Revokes every live family of a user ("log out everywhere"); returns how many. */
export async function revokeUserRefreshTokenFamilies(
  db: Db,
  userId: number,
  reason: string,
): Promise<number> {
  const { rowCount } = await query(
    db,
    'UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL',
    [userId, reason],
  );
  return rowCount ?? 0;
}

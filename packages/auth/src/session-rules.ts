import { createHash } from 'node:crypto';
import type { User } from '@roadmap/data-sql';
import type { AuthConfig } from './config';

/**
 * The rules a login session follows, whatever carries it (a cookie here; a WebSocket
 * connection or another framework tomorrow). The Express adapter in ./express/session.ts
 * stores these fields in Redis and asks these functions on every request.
 */
export interface SessionRecord {
  userId?: number;
  /** When the login happened (ms): the session dies SESSION_ABSOLUTE_TTL_SECONDS later whatever the activity. */
  authenticatedAt?: number;
  /** credentialStamp() of the password hash at login: a password change ends the session. */
  credentialStamp?: string;
  /** The user's token generation at login: "log out everywhere" ends the session too. */
  tokenGeneration?: number;
}

/**
 * A short fingerprint of the user's stored password hash. Kept in the session at login and
 * compared on every request: a password change (new hash) ends every session opened with the
 * old password, as it ends every refresh-token family — the session a thief may hold included.
 */
export function credentialStamp(user: Pick<User, 'passwordHash'>): string {
  return createHash('sha256')
    .update(user.passwordHash ?? 'no-password')
    .digest('base64url')
    .slice(0, 22);
}

/** What a new login writes into its session. */
export function openSession(
  user: Pick<User, 'id' | 'passwordHash' | 'tokenGeneration'>,
  now = Date.now(),
) {
  return {
    userId: user.id,
    authenticatedAt: now,
    credentialStamp: credentialStamp(user),
    tokenGeneration: user.tokenGeneration,
  };
}

/** True when the login is older than SESSION_ABSOLUTE_TTL_SECONDS (or has no login time). */
export function sessionExpired(
  record: SessionRecord,
  config: Pick<AuthConfig, 'SESSION_ABSOLUTE_TTL_SECONDS'>,
  now = Date.now(),
): boolean {
  return (
    !record.authenticatedAt ||
    now - record.authenticatedAt > config.SESSION_ABSOLUTE_TTL_SECONDS * 1000
  );
}

/**
 * Whether the user read *now* may still use this session. Why read the user on every request:
 * a deleted user, a changed role or a changed password takes effect at once — the revocation
 * property that makes sessions worth their Redis and database lookups.
 */
export function sessionMatchesUser(
  record: SessionRecord,
  user: Pick<User, 'passwordHash' | 'tokenGeneration'> | null,
): boolean {
  return (
    user !== null &&
    record.credentialStamp === credentialStamp(user) &&
    // Sessions opened before token generations existed carry none; they keep the old rule.
    (record.tokenGeneration === undefined || record.tokenGeneration === user.tokenGeneration)
  );
}

import type { Actor, Role } from '@roadmap/auth';
import type { Db, User } from '@roadmap/data-sql';
import type { Cache } from './cache';

/**
 * What conduit needs from @roadmap/auth, written as the smallest interface that fits: the
 * services depend on these four abilities, not on how auth implements them (createAuth()'s
 * result satisfies it as is).
 */
export interface ConduitAuth {
  passwords: { hash(plain: string): Promise<string> };
  /** Email + password → the user; throws 401 for bad credentials, 429 when throttled. */
  login(input: { email: string; password: string; ip: string }): Promise<User>;
  /**
   * The RealWorld `user.token`: an access token alone (no refresh-token family), with the
   * longer lifetime a client without a refresh flow needs (auth's CONDUIT_TOKEN_TTL_SECONDS).
   */
  issueAccessToken(
    user: { id: number; role: Role; tokenGeneration: number },
    options?: { notAfter?: Date },
  ): { accessToken: string };
  /**
   * Refuses every token issued to the user so far (access and refresh); returns the new token
   * generation. Called after a password change.
   */
  revokeAllTokens(userId: number, reason: 'password-changed'): Promise<number>;
}

export interface ConduitDeps {
  /** The pool (or, in a test, anything that runs queries). */
  db: Db;
  auth: ConduitAuth;
  cache: Cache;
  /** How long cached articles and tags live (seconds); invalidation makes this a safety net. */
  cacheTtlSeconds: number;
}

/** The viewer's user id, or null for an anonymous request (reads that anyone may do). */
export function viewerId(actor: Actor): number | null {
  return actor?.userId ?? null;
}

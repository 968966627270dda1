import type { Redis } from 'ioredis';
import type pg from 'pg';
import { revokeUserRefreshTokenFamilies, type User } from '@roadmap/data-sql';
import { createAdminService } from './admin.service';
import { type AuthConfig } from './config';
import { loadPreviousKeys, loadSigningKeys } from './keys';
import { createLoginService, type LoginInput } from './login.service';
import { createLoginThrottle } from './login-throttle';
import { createOAuthService } from './oauth.service';
import { createPasswords, type Passwords } from './passwords';
import type { Identity } from './policy';
import { createTokenGenerations } from './token-generations';
import { createTokenService, type TokenPair } from './token.service';
import {
  createTokenSigner,
  invalidToken,
  MAX_TOKEN_LENGTH,
  type AccessClaims,
  type TokenSigner,
} from './tokens';

export interface AuthDeps {
  /** data-sql pool (users, refresh tokens, OAuth identities). Owned by the caller. */
  pool: pg.Pool;
  /** ioredis client (login throttling; sessions in the Express entry). Owned by the caller. */
  redis: Redis;
  config: AuthConfig;
}

/**
 * Every use case of this stage, with no HTTP type in sight: what a REST route, a GraphQL
 * resolver, a WebSocket handshake or a message consumer calls. The Express entry
 * (`@roadmap/auth/express`) wraps this with middleware and routes.
 */
export interface AuthCore {
  config: AuthConfig;
  passwords: Passwords;
  signer: TokenSigner;
  /** Email + password → user; 401 generic / 429 throttled. */
  login(input: LoginInput): Promise<User>;
  /** A new login's token pair (access JWT + rotating refresh JWT). */
  issueTokens(user: TokenSubject): Promise<TokenPair>;
  /**
   * An access token alone, no refresh-token family, living CONDUIT_TOKEN_TTL_SECONDS: the
   * RealWorld `user.token`, for clients without a refresh flow. With `notAfter` (the expiry
   * of the credential the caller presented) it never lives longer than that: a token cannot
   * be used to mint itself a longer life.
   */
  issueAccessToken(
    user: TokenSubject,
    options?: { notAfter?: Date },
  ): { accessToken: string; expiresIn: number };
  refresh(refreshToken: string): Promise<TokenPair & { user: User }>;
  logout(refreshToken: string): Promise<void>;
  /**
   * Refuses every token issued to the user so far — each access token (the token generation
   * moves on) and each refresh-token family — and returns the new generation: "log out
   * everywhere", and what a password change does.
   */
  revokeAllTokens(userId: number, reason: 'logout-all' | 'password-changed'): Promise<number>;
  /** Throws a 401 AppError for anything but a valid access token (signature and claims only). */
  verifyAccessToken(token: string): AccessClaims;
  /**
   * The actor a bearer token (the JWT alone, no scheme) stands for, once its signature, its
   * claims and its generation (not revoked since it was issued) are checked; throws a 401
   * AppError for anything else. What a REST request, a GraphQL context, a WebSocket handshake
   * or a consumer calls.
   */
  actorFromToken(token: string): Promise<Identity & { expiresAt: Date }>;
  admin: ReturnType<typeof createAdminService>;
  oauth: ReturnType<typeof createOAuthService>;
  jwks(): { keys: Record<string, string>[] };
}

/** What an access token is signed for: the user, their role and their token generation. */
export type TokenSubject = Pick<User, 'id' | 'role' | 'tokenGeneration'>;

/** `Token <jwt>` (the RealWorld scheme) or `Bearer <jwt>` (RFC 6750); scheme case-insensitive. */
const AUTHORIZATION = /^(?:Token|Bearer) +([^\s]+) *$/i;

/** The token of an `Authorization` header value; throws a 401 AppError when it has none. */
export function tokenFromAuthorization(header: string): string {
  if (header.length > MAX_TOKEN_LENGTH + 16) throw invalidToken('authorization header oversized');
  const match = AUTHORIZATION.exec(header);
  if (!match?.[1]) throw invalidToken('authorization header malformed');
  return match[1];
}

/** The framework-free core over one pool and one Redis client. */
export function createAuthCore({ pool, redis, config }: AuthDeps): AuthCore {
  const signer = createTokenSigner(config, loadSigningKeys(config), loadPreviousKeys(config));
  const passwords = createPasswords(config);
  const logins = createLoginService({
    pool,
    passwords,
    throttle: createLoginThrottle(redis, config),
  });
  const tokens = createTokenService({ pool, signer });
  const generations = createTokenGenerations({
    pool,
    redis,
    cacheSeconds: config.TOKEN_GENERATION_CACHE_SECONDS,
  });
  const admin = createAdminService({ pool });

  return {
    config,
    passwords,
    signer,
    login: logins.login,
    issueTokens: tokens.issueTokens,
    issueAccessToken: (user, options = {}) => {
      let ttl = config.CONDUIT_TOKEN_TTL_SECONDS;
      if (options.notAfter)
        ttl = Math.min(ttl, Math.floor((options.notAfter.getTime() - Date.now()) / 1000));
      if (ttl < 1) throw invalidToken('the presented credential has expired');
      const access = signer.signAccess(user, ttl);
      return { accessToken: access.token, expiresIn: ttl };
    },
    refresh: tokens.refresh,
    logout: tokens.logout,
    revokeAllTokens: async (userId, reason) => {
      // Generation first: from this moment no access token issued before is accepted.
      const generation = await generations.bump(userId);
      if (generation === null) throw invalidToken('user no longer exists');
      await revokeUserRefreshTokenFamilies(pool, userId, reason);
      return generation;
    },
    verifyAccessToken: (token) => signer.verifyAccess(token),
    actorFromToken: async (token) => {
      const claims = signer.verifyAccess(token);
      const userId = Number(claims.userId);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw invalidToken('sub is not a user id');
      const current = await generations.current(userId);
      if (current === null) throw invalidToken('user no longer exists');
      if (claims.generation !== current)
        throw invalidToken(`revoked: token generation ${claims.generation}, current ${current}`);
      return { userId, role: claims.role, expiresAt: claims.expiresAt };
    },
    admin: {
      ...admin,
      // A role change moves the generation in SQL (setUserRole); the cached copy follows.
      setRole: async (...args) => {
        const user = await admin.setRole(...args);
        await generations.remember(user.id, user.tokenGeneration);
        return user;
      },
    },
    oauth: createOAuthService({ pool }),
    jwks: () => signer.jwks(),
  };
}

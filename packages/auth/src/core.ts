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
import type { Role } from './policy';
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
  issueTokens(user: Pick<User, 'id' | 'role'>): Promise<TokenPair>;
  /**
   * An access token alone, no refresh-token family, living CONDUIT_TOKEN_TTL_SECONDS: the
   * RealWorld `user.token`, for clients without a refresh flow.
   */
  issueAccessToken(user: Pick<User, 'id' | 'role'>): { accessToken: string; expiresIn: number };
  refresh(refreshToken: string): Promise<TokenPair & { user: User }>;
  logout(refreshToken: string): Promise<void>;
  /** Ends every refresh-token family of a user (e.g. after a password change). Returns how many. */
  revokeAllRefreshTokens(userId: number): Promise<number>;
  /** Throws a 401 AppError for anything but a valid access token. */
  verifyAccessToken(token: string): AccessClaims;
  /**
   * The actor a bearer token (the JWT alone, no scheme) stands for; throws a 401 AppError for
   * anything else. What a GraphQL context, a WebSocket handshake or a consumer calls.
   */
  actorFromToken(token: string): { userId: number; role: Role };
  admin: ReturnType<typeof createAdminService>;
  oauth: ReturnType<typeof createOAuthService>;
  jwks(): { keys: Record<string, string>[] };
}

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

  return {
    config,
    passwords,
    signer,
    login: logins.login,
    issueTokens: tokens.issueTokens,
    issueAccessToken: (user) => {
      const access = signer.signAccess(user, config.CONDUIT_TOKEN_TTL_SECONDS);
      return { accessToken: access.token, expiresIn: config.CONDUIT_TOKEN_TTL_SECONDS };
    },
    refresh: tokens.refresh,
    logout: tokens.logout,
    revokeAllRefreshTokens: (userId) =>
      revokeUserRefreshTokenFamilies(pool, userId, 'password-changed'),
    verifyAccessToken: (token) => signer.verifyAccess(token),
    actorFromToken: (token) => {
      const claims = signer.verifyAccess(token);
      const userId = Number(claims.userId);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw invalidToken('sub is not a user id');
      return { userId, role: claims.role };
    },
    admin: createAdminService({ pool }),
    oauth: createOAuthService({ pool }),
    jwks: () => signer.jwks(),
  };
}

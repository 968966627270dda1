import { Router, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { User } from '@roadmap/data-sql';
import { createAdminService } from './admin.service';
import { adminRoutes, sessionRoutes, tokenRoutes } from './auth.routes';
import { createAuthenticate, requireAuth, routePolicy } from './authenticate';
import { oauthSettings, type AuthConfig } from './config';
import { loadPreviousKeys, loadSessionSecret, loadSigningKeys } from './keys';
import { createLoginService, type LoginInput } from './login.service';
import { createLoginThrottle } from './login-throttle';
import { createOAuthRoutes } from './oauth.routes';
import { createOAuthService } from './oauth.service';
import { createPasswords, type Passwords } from './passwords';
import { createCsrf, createSessionMiddleware } from './session';
import { revokeAllFamiliesOfUser } from './refresh-tokens.repository';
import { createTokenService, type TokenPair } from './token.service';
import { createTokenSigner, type AccessClaims } from './tokens';

export interface AuthDeps {
  /** data-sql pool (users, refresh tokens, OAuth identities). Owned by the caller. */
  pool: pg.Pool;
  /** ioredis client (sessions, login throttling). Owned by the caller. */
  redis: Redis;
  config: AuthConfig;
}

export interface Auth {
  passwords: Passwords;
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
  /** Express: sets req.auth from `Authorization: Token|Bearer <jwt>` or the session cookie. */
  authenticate: RequestHandler;
  requireAuth: RequestHandler;
  routePolicy: typeof routePolicy;
  /** JWKS, /api/auth/*, /auth/session/*, /auth/oauth/*, /api/admin/*. Mount at the app root. */
  router: Router;
  /** The OAuth provider whose /auth/oauth/<provider> routes `router` serves, or null. */
  oauthProvider: string | null;
  /** The session middleware, for apps that mount session-only pages of their own. */
  session: RequestHandler;
  jwks(): { keys: Record<string, string>[] };
  close(): Promise<void>;
}

/** Wires every mechanism of this stage over one pool and one Redis client. */
export function createAuth({ pool, redis, config }: AuthDeps): Auth {
  const signer = createTokenSigner(config, loadSigningKeys(config), loadPreviousKeys(config));
  const passwords = createPasswords(config);
  const logins = createLoginService({
    pool,
    passwords,
    throttle: createLoginThrottle(redis, config),
  });
  const tokens = createTokenService({ pool, signer });
  const admin = createAdminService({ pool });
  const sessionMiddleware = createSessionMiddleware(config, redis, loadSessionSecret(config));
  const csrf = createCsrf(config);
  const authenticate = createAuthenticate({ config, pool, signer, sessionMiddleware, csrf });

  const deps = { config, pool, signer, logins, tokens, admin, sessionMiddleware, csrf };
  const router = Router();
  router.use(authenticate);
  router.use(tokenRoutes(deps));
  router.use(sessionRoutes(deps));
  router.use(adminRoutes(deps));
  const oauth = oauthSettings(config);
  if (oauth)
    router.use(
      createOAuthRoutes({
        settings: oauth,
        service: createOAuthService({ pool }),
        sessionMiddleware,
        csrf,
      }),
    );

  return {
    passwords,
    login: logins.login,
    issueTokens: tokens.issueTokens,
    issueAccessToken: (user) => {
      const access = signer.signAccess(user, config.CONDUIT_TOKEN_TTL_SECONDS);
      return { accessToken: access.token, expiresIn: config.CONDUIT_TOKEN_TTL_SECONDS };
    },
    refresh: tokens.refresh,
    logout: tokens.logout,
    revokeAllRefreshTokens: (userId) => revokeAllFamiliesOfUser(pool, userId, 'password-changed'),
    verifyAccessToken: (token) => signer.verifyAccess(token),
    authenticate,
    requireAuth,
    routePolicy,
    router,
    oauthProvider: oauth?.provider ?? null,
    session: sessionMiddleware,
    jwks: () => signer.jwks(),
    // Nothing to release: the pool and the Redis client belong to the caller, who closes them.
    close: () => Promise.resolve(),
  };
}

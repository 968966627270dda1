import { Router, type RequestHandler } from 'express';
import type { OpenAPIRegistry } from '@roadmap/kit/express';
import { createAuthCore, type AuthCore, type AuthDeps } from '../core';
import { oauthSettings } from '../config';
import { loadSessionSecret } from '../keys';
import { adminRoutes, sessionRoutes, tokenRoutes } from './auth.routes';
import { createAuthenticate, requireAuth, routePolicy } from './authenticate';
import { oauthRoutes } from './oauth.routes';
import { routeContext } from './route';
import { createCsrf, createSessionMiddleware } from './session';

export type { AuthDeps } from '../core';

/** The core plus its Express face: middleware, the session, and every auth route. */
export interface Auth extends AuthCore {
  /** Express: sets req.auth from `Authorization: Token|Bearer <jwt>` or the session cookie. */
  authenticate: RequestHandler;
  requireAuth: RequestHandler;
  routePolicy: typeof routePolicy;
  /** JWKS, /api/auth/*, /auth/session/*, /auth/oauth/*, /api/admin/*. Mount at the app root. */
  router: Router;
  /** The OpenAPI operations of `router`'s routes, declared with them (defineRoute). */
  registry: OpenAPIRegistry;
  /** The OAuth provider whose /auth/oauth/<provider> routes `router` serves, or null. */
  oauthProvider: string | null;
  /** The session middleware, for apps that mount session-only pages of their own. */
  session: RequestHandler;
  close(): Promise<void>;
}

/** Wires the core and every Express adapter of this stage over one pool and one Redis client. */
export function createAuth(deps: AuthDeps): Auth {
  const { redis, config } = deps;
  const core = createAuthCore(deps);
  const sessionMiddleware = createSessionMiddleware(config, redis, loadSessionSecret(config));
  const csrf = createCsrf(config);
  const authenticate = createAuthenticate({ core, pool: deps.pool, sessionMiddleware, csrf });

  const routeDeps = { core, pool: deps.pool, sessionMiddleware, csrf };
  const router = Router();
  router.use(authenticate);
  const context = routeContext(router);
  tokenRoutes(context, routeDeps);
  sessionRoutes(context, routeDeps);
  adminRoutes(context, routeDeps);
  const oauth = oauthSettings(config);
  if (oauth)
    oauthRoutes(context, { settings: oauth, service: core.oauth, sessionMiddleware, csrf });

  return {
    ...core,
    authenticate,
    requireAuth,
    routePolicy,
    router,
    registry: context.registry,
    oauthProvider: oauth?.provider ?? null,
    session: sessionMiddleware,
    // Nothing to release: the pool and the Redis client belong to the caller, who closes them.
    close: () => Promise.resolve(),
  };
}

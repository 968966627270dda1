import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { AppError, logger } from '@roadmap/kit';
import { findUserById } from '@roadmap/data-sql';
import { tokenFromAuthorization, type AuthCore } from '../core';
import { assertPolicy, type Actor, type RoutePolicy } from '../policy';
import { sessionExpired, sessionMatchesUser } from '../session-rules';
import { isStateChanging, type Csrf } from './session';
import type { AuthContext } from './request';

export function createAuthenticate(deps: {
  core: AuthCore;
  pool: pg.Pool;
  sessionMiddleware: RequestHandler;
  csrf: Csrf;
}): RequestHandler {
  const { core, pool, sessionMiddleware, csrf } = deps;

  async function fromHeader(header: string): Promise<AuthContext> {
    try {
      return { ...(await core.actorFromToken(tokenFromAuthorization(header))), via: 'token' };
    } catch (error) {
      // An outage (PostgreSQL and Redis both gone: 503) is not a bad token; let it through.
      if (!(error instanceof AppError) || error.status !== 401) throw error;
      // The client hears only "invalid"; the log says why (never the token itself).
      logger.info({ reason: (error.cause as Error | undefined)?.message }, 'access token rejected');
      throw error;
    }
  }

  async function fromSession(req: Request): Promise<AuthContext | undefined> {
    const data = req.session;
    if (!data?.userId) return undefined;
    if (sessionExpired(data, core.config)) {
      await new Promise<void>((resolve) => data.destroy(() => resolve()));
      return undefined;
    }
    const user = await findUserById(pool, data.userId);
    if (!user || !sessionMatchesUser(data, user)) {
      await new Promise<void>((resolve) => data.destroy(() => resolve()));
      return undefined;
    }
    if (isStateChanging(req)) {
      try {
        csrf.assertValid(req);
      } catch (error) {
        // Not an identity for this state change; requireAuth reports why (403), and optional-auth
        // code downstream simply sees an anonymous request.
        req.authRejection = error as Error;
        return undefined;
      }
    }
    return {
      userId: user.id,
      role: user.role,
      via: 'session',
      // A token minted for a session user (GET /api/user) lives no longer than the session.
      expiresAt: new Date(data.authenticatedAt! + core.config.SESSION_ABSOLUTE_TTL_SECONDS * 1000),
    };
  }

  /**
   * Sets req.auth from the Authorization header or else from the session cookie; leaves it
   * undefined for an anonymous request. A bad token is remembered in req.authRejection (a 401
   * for routes that require an identity, anonymous for the rest). Token requests never touch
   * Redis.
   */
  const done = new WeakSet<Request>();
  return (req, res, next) => {
    // Idempotent: the app may mount it globally and the auth router mounts it again.
    if (done.has(req)) {
      next();
      return;
    }
    done.add(req);
    req.auth = undefined;
    const header = req.get('authorization');
    if (header !== undefined) {
      fromHeader(header).then(
        (auth) => {
          req.auth = auth;
          next();
        },
        (error: unknown) => {
          if (!(error instanceof AppError) || error.status !== 401) {
            next(error);
            return;
          }
          // Why not a 401 here: RealWorld front ends send their stored token on every request
          // and have no refresh flow, so an expired token must not break public pages. The
          // request goes on as anonymous; routes that need an identity throw this rejection
          // (401) in authOf(), and the header tells any client its token was not accepted.
          req.authRejection = error;
          res.setHeader('WWW-Authenticate', 'Token realm="conduit", error="invalid_token"');
          next();
        },
      );
      return;
    }
    sessionMiddleware(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      fromSession(req).then(
        (auth) => {
          req.auth = auth;
          next();
        },
        (err: unknown) => {
          logger.warn({ err }, 'session lookup failed');
          next(err);
        },
      );
    });
  };
}

/**
 * The one way an Express handler learns who is asking: the core's Actor (what services take),
 * null for an anonymous request. Never throws; routePolicy() has already refused what it must.
 */
export function actorOf(req: Request): Actor {
  return req.auth
    ? { userId: req.auth.userId, role: req.auth.role, expiresAt: req.auth.expiresAt }
    : null;
}

/**
 * The identity and how it was proven, for a route that needs one: 401 unless `authenticate`
 * found one (403 if a session was refused for CSRF, 401 "is invalid" for a rejected token).
 */
export function authOf(req: Request): AuthContext {
  if (req.auth) return req.auth;
  if (req.authRejection) throw req.authRejection;
  throw AppError.unauthorized('token', 'is missing');
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  authOf(req);
  next();
};

export type { RoutePolicy };
export type PolicyMiddleware = RequestHandler & { readonly routePolicy: RoutePolicy };

/**
 * The route's access rule, as a middleware that also *records* the rule on itself, so a test
 * can walk the router and fail for any route that declared nothing. Place it after
 * `authenticate`. Ownership (e.g. "only the author") is checked later by the service with
 * `assertCan(actor, permission, resource)`, once the resource is loaded.
 */
export function routePolicy(policy: RoutePolicy): PolicyMiddleware {
  const handler: RequestHandler = (req, _res, next) => {
    // authOf() first: a rejected token or CSRF check explains itself better than "missing".
    if (policy !== 'public') assertPolicy(authOf(req), policy);
    next();
  };
  return Object.assign(handler, { routePolicy: policy });
}

/** The policy a handler declared through routePolicy(), if it is one. */
export function declaredPolicy(handler: unknown): RoutePolicy | undefined {
  return typeof handler === 'function' && 'routePolicy' in handler
    ? (handler as PolicyMiddleware).routePolicy
    : undefined;
}

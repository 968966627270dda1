import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { AppError, logger } from '@roadmap/kit';
import { findUserById } from '@roadmap/data-sql';
import type { AuthConfig } from './config';
import { can, type Permission } from './policy';
import { credentialStamp, isStateChanging, type Csrf } from './session';
import { invalidToken, MAX_TOKEN_LENGTH, type TokenSigner } from './tokens';
import type { AuthContext } from './types';

/** `Authorization: Token <jwt>` (the RealWorld scheme) or `Bearer <jwt>` (RFC 6750); scheme case-insensitive. */
const AUTHORIZATION = /^(?:Token|Bearer) +([^\s]+) *$/i;

export function createAuthenticate(deps: {
  config: AuthConfig;
  pool: pg.Pool;
  signer: TokenSigner;
  sessionMiddleware: RequestHandler;
  csrf: Csrf;
}): RequestHandler {
  const { config, pool, signer, sessionMiddleware, csrf } = deps;

  function fromHeader(header: string): AuthContext {
    if (header.length > MAX_TOKEN_LENGTH + 16) throw invalidToken('authorization header oversized');
    const match = AUTHORIZATION.exec(header);
    if (!match?.[1]) throw invalidToken('authorization header malformed');
    let claims;
    try {
      claims = signer.verifyAccess(match[1]);
    } catch (error) {
      // The client hears only "invalid"; the log says why (never the token itself).
      logger.info(
        { reason: ((error as Error).cause as Error | undefined)?.message },
        'access token rejected',
      );
      throw error;
    }
    const userId = Number(claims.userId);
    if (!Number.isSafeInteger(userId) || userId <= 0) throw invalidToken('sub is not a user id');
    return { userId, role: claims.role, via: 'token' };
  }

  async function fromSession(req: Request): Promise<AuthContext | undefined> {
    const data = req.session;
    if (!data?.userId) return undefined;
    if (
      !data.authenticatedAt ||
      Date.now() - data.authenticatedAt > config.SESSION_ABSOLUTE_TTL_SECONDS * 1000
    ) {
      await new Promise<void>((resolve) => data.destroy(() => resolve()));
      return undefined;
    }
    // Why read the user on every request: a deleted user, a changed role or a changed
    // password takes effect at once — the revocation property that makes sessions worth their
    // Redis and DB lookups.
    const user = await findUserById(pool, data.userId);
    if (!user || data.credentialStamp !== credentialStamp(user)) {
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
    return { userId: user.id, role: user.role, via: 'session' };
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
      try {
        req.auth = fromHeader(header);
      } catch (error) {
        // Why not a 401 here: RealWorld front ends send their stored token on every request and
        // have no refresh flow, so an expired token must not break public pages. The request
        // goes on as anonymous; routes that need an identity throw this rejection (401) in
        // actorOf(), and the header tells any client that its token was not accepted.
        req.authRejection = error as Error;
        res.setHeader('WWW-Authenticate', 'Token realm="conduit", error="invalid_token"');
      }
      next();
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

/** 401 unless `authenticate` found an identity (403 if a session was refused for CSRF). */
export function actorOf(req: Request): AuthContext {
  if (req.auth) return req.auth;
  if (req.authRejection) throw req.authRejection;
  throw AppError.unauthorized('token', 'is missing');
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  actorOf(req);
  next();
};

/** What a route declares: open to all, open to any signed-in user, or one permission. */
export type RoutePolicy = 'public' | 'authenticated' | Permission;
export type PolicyMiddleware = RequestHandler & { readonly routePolicy: RoutePolicy };

/**
 * The route's access rule, as a middleware that also *records* the rule on itself, so a test
 * can walk the router and fail for any route that declared nothing. Place it after
 * `authenticate`. Ownership (e.g. "only the author") is checked later by the service with
 * `assertCan(actor, permission, resource)`, once the resource is loaded.
 */
export function routePolicy(policy: RoutePolicy): PolicyMiddleware {
  const handler: RequestHandler = (req, _res, next) => {
    if (policy !== 'public') {
      const actor = actorOf(req);
      if (policy !== 'authenticated' && !can(actor, policy))
        throw AppError.forbidden(policy.split(':')[0]);
    }
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

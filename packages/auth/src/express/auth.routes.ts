import type { RequestHandler } from 'express';
import type pg from 'pg';
import { findUserById } from '@roadmap/data-sql';
import { documented, z } from '@roadmap/kit/express';
import { loginBody, pageQuery, refreshBody, setRoleBody } from '../auth.schema';
import type { AuthCore } from '../core';
import { toPublicUser } from '../user.view';
import { authOf } from './authenticate';
import {
  defineRoute,
  publicUserSchema,
  sessionUserSchema,
  tokenPairSchema,
  type RouteContext,
} from './route';
import { endSession, startSession, type Csrf } from './session';

export interface RouteDeps {
  core: AuthCore;
  pool: pg.Pool;
  sessionMiddleware: RequestHandler;
  csrf: Csrf;
}

/** JWKS + token endpoints (stateless clients: mobile apps, other services, the RealWorld SPA). */
export function tokenRoutes(context: RouteContext, deps: RouteDeps): void {
  // Other services verify our access tokens with this public key set; `kid` picks the key.
  defineRoute(context, {
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'Jwks',
    summary: 'Public keys that verify our access tokens (JWKS)',
    tag: 'Auth',
    policy: 'public',
    success: {
      status: 200,
      description: 'The key set',
      schema: z.object({ keys: z.array(z.object({}).passthrough()) }),
    },
    errors: [],
    handle: ({ res }) => {
      res.set('Cache-Control', 'public, max-age=300');
      return Promise.resolve(deps.core.jwks());
    },
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'AuthLogin',
    summary: 'Email + password → short access token + rotating refresh token',
    tag: 'Auth',
    policy: 'public',
    body: { schema: documented(loginBody, 'AuthLogin') },
    success: { status: 200, description: 'A new login', schema: tokenPairSchema },
    errors: [401],
    handle: async ({ body: { email, password }, req }) => {
      const user = await deps.core.login({ email, password, ip: req.ip ?? 'unknown' });
      return { user: toPublicUser(user), ...(await deps.core.issueTokens(user)) };
    },
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'AuthRefresh',
    summary: 'Exchange a refresh token (once) for a new pair; reuse revokes the family',
    tag: 'Auth',
    policy: 'public',
    body: { schema: documented(refreshBody, 'AuthRefresh') },
    success: { status: 200, description: 'The rotated pair', schema: tokenPairSchema },
    errors: [401],
    handle: async ({ body }) => {
      const { user, ...pair } = await deps.core.refresh(body.refreshToken);
      return { user: toPublicUser(user), ...pair };
    },
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'AuthLogout',
    summary: 'End the login (refresh-token family) the token belongs to',
    tag: 'Auth',
    policy: 'public',
    body: { schema: documented(refreshBody, 'AuthLogout') },
    success: { status: 204, description: 'Logged out' },
    errors: [401],
    handle: ({ body }) => deps.core.logout(body.refreshToken),
  });

  // "Log out everywhere": every access token, refresh token and session issued so far stops
  // working, this request's own credential included. A stolen token stops here too.
  defineRoute(context, {
    method: 'post',
    path: '/api/auth/logout-all',
    operationId: 'AuthLogoutAll',
    summary:
      'Log out everywhere: every access token, refresh token and session issued so far is refused',
    tag: 'Auth',
    policy: 'authenticated',
    success: { status: 204, description: 'Logged out everywhere' },
    errors: [401, 403],
    handle: async ({ req }) => {
      const auth = authOf(req);
      await deps.core.revokeAllTokens(auth.userId, 'logout-all');
      // (Other sessions end at their next request: their generation no longer matches.)
      if (auth.via === 'session') await endSession(req);
    },
  });
}

/** Cookie sessions for browser pages. */
export function sessionRoutes(context: RouteContext, deps: RouteDeps): void {
  const { csrf, sessionMiddleware } = deps;

  // A page fetches this first and sends the token back in `x-csrf-token` on every change.
  defineRoute(context, {
    method: 'get',
    path: '/auth/session/csrf',
    operationId: 'SessionCsrf',
    summary: 'The CSRF token to send in x-csrf-token with session-authenticated changes',
    tag: 'Auth',
    policy: 'public',
    middleware: [sessionMiddleware],
    success: {
      status: 200,
      description: 'The token',
      schema: z.object({ csrfToken: z.string() }),
    },
    errors: [],
    handle: ({ req, res }) => {
      res.set('Cache-Control', 'no-store');
      return Promise.resolve({ csrfToken: csrf.token(req) });
    },
  });

  defineRoute(context, {
    method: 'post',
    path: '/auth/session/login',
    operationId: 'SessionLogin',
    summary: 'Email + password → session cookie (same-origin browsers)',
    tag: 'Auth',
    policy: 'public',
    middleware: [
      sessionMiddleware,
      // Login CSRF (being signed in as the attacker) is stopped by the Origin check: there is
      // no session yet whose synchronizer token could be checked. Before validation, as before.
      (req, _res, next) => {
        csrf.assertSameOrigin(req);
        next();
      },
    ],
    body: { schema: documented(loginBody, 'SessionLogin') },
    success: {
      status: 200,
      description: 'Signed in; the cookie is set',
      schema: sessionUserSchema,
    },
    errors: [401, 403],
    handle: async ({ body: { email, password }, req, res }) => {
      const user = await deps.core.login({ email, password, ip: req.ip ?? 'unknown' });
      const csrfToken = await startSession(req, user, csrf);
      res.set('Cache-Control', 'no-store');
      return { user: toPublicUser(user), csrfToken };
    },
  });

  defineRoute(context, {
    method: 'get',
    path: '/auth/session/me',
    operationId: 'SessionMe',
    summary: 'Who is signed in (session cookie or token)',
    tag: 'Auth',
    policy: 'authenticated',
    middleware: [sessionMiddleware],
    success: {
      status: 200,
      description: 'The user, and the CSRF token of a session',
      schema: z.object({ user: publicUserSchema.nullable(), csrfToken: z.string().nullable() }),
    },
    errors: [401],
    handle: async ({ req, res }) => {
      const actor = authOf(req);
      const user = await findUserById(deps.pool, actor.userId);
      res.set('Cache-Control', 'no-store');
      // Only a session has a CSRF token; asking for one on a token request would create a session.
      return {
        user: user && toPublicUser(user),
        csrfToken: actor.via === 'session' ? csrf.token(req) : null,
      };
    },
  });

  defineRoute(context, {
    method: 'post',
    path: '/auth/session/logout',
    operationId: 'SessionLogout',
    summary: 'End the session',
    tag: 'Auth',
    policy: 'authenticated',
    middleware: [sessionMiddleware],
    success: { status: 204, description: 'Signed out' },
    errors: [401, 403],
    handle: async ({ req, res }) => {
      await endSession(req);
      // Why clear the cookie too: the id is dead server-side; this tidies the browser.
      res.clearCookie(deps.core.config.SESSION_COOKIE_NAME, { path: '/' });
    },
  });
}

/** User administration, admin only (the policy module says so). */
export function adminRoutes(context: RouteContext, deps: RouteDeps): void {
  defineRoute(context, {
    method: 'get',
    path: '/api/admin/users',
    operationId: 'AdminListUsers',
    summary: 'Every user, paginated (admin)',
    tag: 'Admin',
    policy: 'user:list',
    query: documented(pageQuery, 'AdminPage'),
    success: {
      status: 200,
      description: 'A page of users',
      schema: z.object({ users: z.array(publicUserSchema), usersCount: z.number().int() }),
    },
    errors: [401, 403, 422],
    handle: async ({ query, actor }) => {
      const { users, usersCount } = await deps.core.admin.list(actor, query);
      return { users: users.map(toPublicUser), usersCount };
    },
  });

  defineRoute(context, {
    method: 'put',
    path: '/api/admin/users/:username/role',
    operationId: 'AdminSetRole',
    summary: "Change a user's role (admin)",
    tag: 'Admin',
    policy: 'user:set-role',
    params: z.object({ username: z.string() }),
    body: { schema: documented(setRoleBody, 'SetRole') },
    success: {
      status: 200,
      description: 'The user with the new role',
      schema: z.object({ user: publicUserSchema }),
    },
    errors: [401, 403, 404],
    handle: async ({ params, body, actor }) => {
      const user = await deps.core.admin.setRole(actor, params.username, body.role);
      return { user: toPublicUser(user) };
    },
  });
}

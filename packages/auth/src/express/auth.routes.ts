import { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { findUserById } from '@roadmap/data-sql';
import { parseOrThrow } from '@roadmap/kit';
import { loginBody, pageQuery, refreshBody, setRoleBody } from '../auth.schema';
import type { AuthCore } from '../core';
import { toPublicUser } from '../user.view';
import { actorOf, authOf, routePolicy } from './authenticate';
import { endSession, startSession, type Csrf } from './session';

export interface RouteDeps {
  core: AuthCore;
  pool: pg.Pool;
  sessionMiddleware: RequestHandler;
  csrf: Csrf;
}

/** JWKS + token endpoints (stateless clients: mobile apps, other services, the RealWorld SPA). */
export function tokenRoutes(deps: RouteDeps): Router {
  const router = Router();

  // Other services verify our access tokens with this public key set; `kid` picks the key.
  router.get('/.well-known/jwks.json', routePolicy('public'), (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(deps.core.jwks());
  });

  router.post('/api/auth/login', routePolicy('public'), async (req, res) => {
    const { email, password } = parseOrThrow(loginBody, req.body ?? {});
    const user = await deps.core.login({ email, password, ip: req.ip ?? 'unknown' });
    res.json({ user: toPublicUser(user), ...(await deps.core.issueTokens(user)) });
  });

  router.post('/api/auth/refresh', routePolicy('public'), async (req, res) => {
    const { refreshToken } = parseOrThrow(refreshBody, req.body ?? {});
    const { user, ...pair } = await deps.core.refresh(refreshToken);
    res.json({ user: toPublicUser(user), ...pair });
  });

  router.post('/api/auth/logout', routePolicy('public'), async (req, res) => {
    const { refreshToken } = parseOrThrow(refreshBody, req.body ?? {});
    await deps.core.logout(refreshToken);
    res.status(204).end();
  });

  // "Log out everywhere": every access token, refresh token and session issued so far stops
  // working, this request's own credential included. A stolen token stops here too.
  router.post('/api/auth/logout-all', routePolicy('authenticated'), async (req, res) => {
    const auth = authOf(req);
    await deps.core.revokeAllTokens(auth.userId, 'logout-all');
    // (Other sessions end at their next request: their generation no longer matches.)
    if (auth.via === 'session') await endSession(req);
    res.status(204).end();
  });
  return router;
}

/** Cookie sessions for browser pages. */
export function sessionRoutes(deps: RouteDeps): Router {
  const { csrf, sessionMiddleware } = deps;
  const router = Router();

  // A page fetches this first and sends the token back in `x-csrf-token` on every change.
  router.get('/auth/session/csrf', routePolicy('public'), sessionMiddleware, (req, res) => {
    res.set('Cache-Control', 'no-store').json({ csrfToken: csrf.token(req) });
  });

  router.post('/auth/session/login', routePolicy('public'), sessionMiddleware, async (req, res) => {
    // Login CSRF (being signed in as the attacker) is stopped by the Origin check: there is no
    // session yet whose synchronizer token could be checked.
    csrf.assertSameOrigin(req);
    const { email, password } = parseOrThrow(loginBody, req.body ?? {});
    const user = await deps.core.login({ email, password, ip: req.ip ?? 'unknown' });
    const csrfToken = await startSession(req, user, csrf);
    res.set('Cache-Control', 'no-store').json({ user: toPublicUser(user), csrfToken });
  });

  router.get(
    '/auth/session/me',
    routePolicy('authenticated'),
    sessionMiddleware,
    async (req, res) => {
      const actor = authOf(req);
      const user = await findUserById(deps.pool, actor.userId);
      // Only a session has a CSRF token; asking for one on a token request would create a session.
      res.set('Cache-Control', 'no-store').json({
        user: user && toPublicUser(user),
        csrfToken: actor.via === 'session' ? csrf.token(req) : null,
      });
    },
  );

  router.post(
    '/auth/session/logout',
    routePolicy('authenticated'),
    sessionMiddleware,
    async (req, res) => {
      await endSession(req);
      // Why clear the cookie too: the id is dead server-side; this tidies the browser.
      res.clearCookie(deps.core.config.SESSION_COOKIE_NAME, { path: '/' });
      res.status(204).end();
    },
  );
  return router;
}

/** User administration, admin only (the policy module says so). */
export function adminRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get('/api/admin/users', routePolicy('user:list'), async (req, res) => {
    const { users, usersCount } = await deps.core.admin.list(
      actorOf(req),
      parseOrThrow(pageQuery, req.query),
    );
    res.json({ users: users.map(toPublicUser), usersCount });
  });

  router.put('/api/admin/users/:username/role', routePolicy('user:set-role'), async (req, res) => {
    const { role } = parseOrThrow(setRoleBody, req.body ?? {});
    const user = await deps.core.admin.setRole(actorOf(req), String(req.params.username), role);
    res.json({ user: toPublicUser(user) });
  });
  return router;
}

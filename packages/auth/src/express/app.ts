import type { Redis } from 'ioredis';
import type pg from 'pg';
import { createHttpApp, finishHttpApp, type HttpApp } from '@roadmap/kit/express';
import { authOf, routePolicy } from './authenticate';
import type { AuthConfig } from '../config';
import { createAuth, type Auth } from './create-auth';

/**
 * This stage on its own: the auth router plus two demo routes (one open, one for signed-in
 * users). The REST API mounts the same `auth.router` and middlewares in front of Conduit.
 * Builds the app; does not listen (main.ts does).
 */
export function buildAuthApp(deps: {
  pool: pg.Pool;
  redis: Redis;
  config: AuthConfig;
  trustProxy?: boolean | number | string;
}): HttpApp & { auth: Auth } {
  const { pool, redis, config } = deps;
  const auth = createAuth({ pool, redis, config });
  const { app, health } = createHttpApp({
    name: 'auth',
    trustProxy: deps.trustProxy,
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
    ],
  });
  app.use(auth.router);
  app.get('/api/demo/hello', auth.authenticate, routePolicy('public'), (req, res) => {
    res.json({
      hello: req.auth
        ? `user ${req.auth.userId} (${req.auth.role}, via ${req.auth.via})`
        : 'anonymous',
    });
  });
  app.get('/api/demo/me', auth.authenticate, routePolicy('authenticated'), (req, res) => {
    res.json({ auth: authOf(req) });
  });
  finishHttpApp(app);
  return { app, health, auth };
}

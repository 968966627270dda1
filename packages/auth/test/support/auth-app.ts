import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { loadConfig } from '@roadmap/kit';
import { createHttpApp, finishHttpApp } from '@roadmap/kit/express';
import { createTestRedis, type TestDatabase, type TestRedis } from '@roadmap/kit/testing';
import { insertUser, type Role, type User } from '@roadmap/data-sql';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import { authConfigShape, type AuthConfig } from '../../src';
import { createAuth, routePolicy, type Auth } from '../../src/express';

export const APP_ORIGIN = 'http://app.test';

export interface AuthTestApp {
  app: Express;
  auth: Auth;
  config: AuthConfig;
  db: TestDatabase;
  redis: TestRedis;
  /** A user with a unique email/username and a real Argon2id hash of `password`. */
  createUser(opts?: {
    role?: Role;
    password?: string;
    label?: string;
  }): Promise<User & { password: string }>;
  close(): Promise<void>;
}

/**
 * This file's own database (test_auth_<label>_<random>, migrated by data-sql) and Redis key
 * prefix, and an app built the way a service builds it: kit's createHttpApp, the auth router,
 * two probe routes behind routePolicy, finishHttpApp.
 */
export async function createAuthTestApp(
  label: string,
  env: Record<string, string> = {},
): Promise<AuthTestApp> {
  const db = await createMigratedTestDatabase(`auth_${label}`);
  const redis = await createTestRedis(`auth_${label}`);
  const config = loadConfig(authConfigShape, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_ORIGINS: APP_ORIGIN,
    ...env,
  });
  const auth = createAuth({ pool: db.pool, redis: redis.redis, config });

  // Why trust loopback proxies: tests play different client IPs with X-Forwarded-For.
  const { app } = createHttpApp({ name: `auth-test-${label}`, trustProxy: 'loopback' });
  app.use(auth.router);
  app.get('/api/probe', auth.authenticate, routePolicy('authenticated'), (req, res) => {
    res.json({ auth: req.auth });
  });
  app.post('/api/probe', auth.authenticate, routePolicy('authenticated'), (req, res) => {
    res.json({ auth: req.auth });
  });
  app.get('/api/public', auth.authenticate, routePolicy('public'), (req, res) => {
    res.json({ auth: req.auth ?? null });
  });
  finishHttpApp(app);

  return {
    app,
    auth,
    config,
    db,
    redis,
    async createUser(opts = {}) {
      const id = randomBytes(4).toString('hex');
      const password = opts.password ?? `correct horse ${id}`;
      const user = await insertUser(db.pool, {
        email: `${opts.label ?? 'user'}-${id}@example.com`,
        username: `${opts.label ?? 'user'}_${id}`,
        passwordHash: await auth.passwords.hash(password),
        role: opts.role ?? 'user',
      });
      return { ...user, password };
    },
    async close() {
      await auth.close();
      await redis.cleanup();
      await db.drop();
    },
  };
}

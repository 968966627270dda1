import { type RequestListener, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import {
  createTestRedis,
  requireServices,
  type TestDatabase,
  type TestRedis,
} from '@roadmap/kit/testing';
import { createExpressServer } from '@roadmap/kit/express';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import request from 'supertest';
import { buildApp, type AppAuth, type AppConfig, type RestApp } from '../src/app';

export interface TestApi {
  api: RestApp;
  db: TestDatabase;
  cache: TestRedis;
  http: () => ReturnType<typeof request>;
  /** `t.call('put', url)` = `t.http().put(url)`, for tests that loop over methods. */
  call: (method: 'get' | 'post' | 'put' | 'delete', url: string) => request.Test;
  /**
   * A real HTTP server on a free port, for clients that need a URL (newman); its base URL. It
   * is the server src/main.ts runs (kit's createExpressServer), so the Postman collection also
   * covers requests born with Express's prototypes. `onRequest`, if given, is added as a
   * listener of its 'request' event (to watch what it answered). stop() closes it.
   */
  listen: (onRequest?: RequestListener) => Promise<string>;
  stop: () => Promise<void>;
}

export interface StartApiOptions {
  /**
   * Builds the auth the app uses over this file's clients (default: the app's own, configured
   * from the environment). stop() closes it.
   */
  auth?: (clients: { pool: pg.Pool; redis: Redis }) => AppAuth & { close: () => Promise<void> };
}

/**
 * The real app over this test file's own migrated PostgreSQL database (test_rest_<name>_…)
 * and its own Redis key prefix; no mocks. Call stop() in afterAll.
 */
export async function startApi(
  name: string,
  config: Partial<AppConfig> = {},
  options: StartApiOptions = {},
): Promise<TestApi> {
  await requireServices(['postgres', 'redis']);
  const db = await createMigratedTestDatabase(`rest_${name}`);
  const cache = await createTestRedis(`rest-${name}`);
  const auth = options.auth?.({ pool: db.pool, redis: cache.redis });
  const api = buildApp({ pool: db.pool, redis: cache.redis, config, ...(auth ? { auth } : {}) });
  let server: Server | undefined;
  return {
    api,
    db,
    cache,
    // A new server per call, as supertest makes for an app; the one src/main.ts runs.
    http: () => request(createExpressServer(api.app)),
    call: (method, url) => request(createExpressServer(api.app))[method](url),
    listen: async (onRequest) => {
      server ??= createExpressServer(api.app).listen(0, '127.0.0.1');
      if (onRequest) server.on('request', onRequest);
      if (!server.listening) await new Promise((resolve) => server?.once('listening', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: async () => {
      if (server) await new Promise((resolve) => server?.close(resolve));
      await api.close();
      await auth?.close();
      await cache.cleanup();
      await db.drop();
    },
  };
}

/**
 * startApi for a whole test file: registers the beforeAll that starts the API and the afterAll
 * that stops it. Use the result inside tests and later hooks only — before the first beforeAll
 * has run there is no API yet.
 */
export function useApi(
  name: string,
  config: Partial<AppConfig> = {},
  options: StartApiOptions = {},
): TestApi {
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startApi(name, config, options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): TestApi => {
    if (!started) throw new Error(`the ${name} test API is used before beforeAll started it`);
    return started;
  };
  return {
    get api() {
      return current().api;
    },
    get db() {
      return current().db;
    },
    get cache() {
      return current().cache;
    },
    http: () => current().http(),
    call: (method, url) => current().call(method, url),
    listen: (onRequest) => current().listen(onRequest),
    stop: () => current().stop(),
  };
}

let counter = 0;
/** Unique per call, so tests in one file never collide on usernames, emails or titles. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 7)}`;
}

export interface TestUser {
  username: string;
  email: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

export async function registerUser(t: TestApi, prefix = 'user'): Promise<TestUser> {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  const password = 'correct horse battery';
  const res = await t
    .http()
    .post('/api/users')
    .send({ user: { username, email, password } })
    .expect(201);
  const token = (res.body as { user: { token: string } }).user.token;
  return { username, email, password, token, auth: { Authorization: `Token ${token}` } };
}

export async function createArticle(
  t: TestApi,
  user: TestUser,
  article: { title?: string; description?: string; body?: string; tagList?: string[] } = {},
): Promise<{ slug: string; title: string }> {
  const res = await t
    .http()
    .post('/api/articles')
    .set(user.auth)
    .send({ article: { title: unique('Title '), description: 'desc', body: 'body', ...article } })
    .expect(201);
  return (res.body as { article: { slug: string; title: string } }).article;
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { MIGRATIONS_DIR, migrate } from '@roadmap/data-sql';
import {
  createTestDatabase,
  createTestRedis,
  requireServices,
  type TestDatabase,
  type TestRedis,
} from '@roadmap/kit/testing';
import request from 'supertest';
import { buildApp, type AppConfig, type RestApp } from '../src/app';

export interface TestApi {
  api: RestApp;
  db: TestDatabase;
  cache: TestRedis;
  http: () => ReturnType<typeof request>;
  /** `t.call('put', url)` = `t.http().put(url)`, for tests that loop over methods. */
  call: (method: 'get' | 'post' | 'put' | 'delete', url: string) => request.Test;
  stop: () => Promise<void>;
}

/** Migrations change → a new template database (migrating once, copying per file is cheap). */
const migrationsKey = createHash('sha256')
  .update(
    readdirSync(MIGRATIONS_DIR)
      .sort()
      .map((file) => readFileSync(`${MIGRATIONS_DIR}/${file}`, 'utf8'))
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);

/**
 * The real app over this test file's own PostgreSQL database (test_rest_<name>_…) and its own
 * Redis key prefix; no mocks. Call stop() in afterAll.
 */
export async function startApi(name: string, config: Partial<AppConfig> = {}): Promise<TestApi> {
  await requireServices(['postgres', 'redis']);
  const db = await createTestDatabase({
    name: `rest_${name}`,
    templateKey: `rest_${migrationsKey}`,
    setup: async (url) => void (await migrate(url)),
  });
  const cache = await createTestRedis(`rest-${name}`);
  const api = buildApp({ pool: db.pool, redis: cache.redis, config });
  return {
    api,
    db,
    cache,
    http: () => request(api.app),
    call: (method, url) => request(api.app)[method](url),
    stop: async () => {
      await api.close();
      await cache.cleanup();
      await db.drop();
    },
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

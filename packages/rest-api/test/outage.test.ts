import { randomBytes } from 'node:crypto';
import { createPool, migrate } from '@roadmap/data-sql';
import { connectRedis, serviceUrl } from '@roadmap/kit';
import {
  createTestDatabase,
  deleteByPrefix,
  hostAndPort,
  requireServices,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from '@roadmap/kit/testing';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import request from 'supertest';
import { buildApp, type RestApp } from '../src/app';

/**
 * Outages, for real: the app talks to the shared Redis and to this file's own PostgreSQL
 * database through TCP proxies this file controls (cut = refused, black hole = silent), so
 * nothing shared is ever stopped.
 */
let db: TestDatabase;
let redisProxy: TcpProxy;
let pgProxy: TcpProxy;
let redis: Redis;
let pool: pg.Pool;
let api: RestApp;
const prefix = `test:rest-outage:${randomBytes(4).toString('hex')}:`;
const origin = 'http://localhost:3000';

const user = { username: 'outage', email: 'outage@example.com', password: 'correct horse battery' };
let token: string;
let slug: string;
let sessionCookie: string;

beforeAll(async () => {
  await requireServices(['postgres', 'redis']);
  db = await createTestDatabase({
    name: 'rest_outage',
    setup: async (url) => void (await migrate(url)),
  });
  redisProxy = await startTcpProxy(hostAndPort(serviceUrl('redis'), 6379));
  pgProxy = await startTcpProxy(hostAndPort(db.url, 5432));
  // The clients as src/main.ts makes them, with short timeouts so the test is quick.
  redis = await connectRedis(redisProxy.proxiedUrl(serviceUrl('redis')), {
    keyPrefix: prefix,
    commandTimeoutMs: 300,
    connectTimeoutMs: 300,
  });
  pool = createPool(pgProxy.proxiedUrl(db.url), {
    connectionTimeoutMs: 500,
    statementTimeoutMs: 1_000,
  });
  api = buildApp({ pool, redis, config: { RATE_LIMIT_EXEMPT: [], RATE_LIMIT_MAX: 1_000 } });

  const registered = await request(api.app).post('/api/users').send({ user }).expect(201);
  token = (registered.body as { user: { token: string } }).user.token;
  const created = await request(api.app)
    .post('/api/articles')
    .set('Authorization', `Token ${token}`)
    .send({ article: { title: 'Still here', description: 'd', body: 'b', tagList: ['kept'] } })
    .expect(201);
  slug = (created.body as { article: { slug: string } }).article.slug;
  const session = await request(api.app)
    .post('/auth/session/login')
    .set('Origin', origin)
    .send({ email: user.email, password: user.password })
    .expect(200);
  sessionCookie = String(session.headers['set-cookie']?.[0]).split(';')[0]!;
});

afterAll(async () => {
  await redisProxy?.restore();
  await pgProxy?.restore();
  await api?.close();
  redis?.disconnect();
  await pool?.end().catch(() => undefined);
  await redisProxy?.close();
  await pgProxy?.close();
  await deleteByPrefix(serviceUrl('redis'), prefix);
  await db?.drop();
});

/** Retries until `check` passes: recovery needs no restart, only a moment. */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await check();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const unavailable = (field: string) => ({
  errors: { [field]: ['is temporarily unavailable'] },
  requestId: expect.any(String),
});

describe.each([
  ['refuses connections', (proxy: TcpProxy) => proxy.cut()],
  ['is black-holed (accepts, answers nothing)', async (proxy: TcpProxy) => proxy.blackhole()],
])('when Redis %s', (_label, breakRedis) => {
  beforeAll(async () => {
    await breakRedis(redisProxy);
  });
  afterAll(async () => {
    await redisProxy.restore();
    await eventually(async () => void (await redis.ping()));
  });

  it('then cached article and tag reads answer from PostgreSQL, and the general rate limit lets them through', async () => {
    const article = await request(api.app).get(`/api/articles/${slug}`).expect(200);
    expect(article.body).toMatchObject({
      article: { slug, title: 'Still here', tagList: ['kept'] },
    });
    const tags = await request(api.app).get('/api/tags').expect(200);
    expect(tags.body).toEqual({ tags: ['kept'] });
    const list = await request(api.app).get('/api/articles').expect(200);
    expect(list.body).toMatchObject({ articlesCount: 1 });
  });

  it('then a token-authenticated request still works (tokens need no Redis)', async () => {
    const me = await request(api.app)
      .get('/api/user')
      .set('Authorization', `Token ${token}`)
      .expect(200);
    expect(me.body).toMatchObject({ user: { username: user.username } });
  });

  it('then logins fail closed: 503 with the login body and Retry-After, not a 500 or a hang', async () => {
    const res = await request(api.app)
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(503);
    expect(res.body).toEqual(unavailable('login'));
    expect(res.headers['retry-after']).toBe('5');
  });

  it('then a session request answers 503 with the session body', async () => {
    const res = await request(api.app)
      .get('/auth/session/me')
      .set('Cookie', sessionCookie)
      .expect(503);
    expect(res.body).toEqual(unavailable('session'));
  });

  it('then /readyz is 503 and names Redis', async () => {
    const res = await request(api.app).get('/readyz').expect(503);
    expect(res.body).toMatchObject({ status: 'unavailable', checks: { postgres: 'ok' } });
    expect((res.body as { checks: { redis: string } }).checks.redis).not.toBe('ok');
  });
});

describe('when Redis comes back', () => {
  it('then logins, sessions and readiness recover by themselves', async () => {
    await redisProxy.cut();
    await request(api.app)
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(503);
    await redisProxy.restore();
    await eventually(async () => {
      await request(api.app).get('/readyz').expect(200);
    });
    await request(api.app)
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(200);
    const me = await request(api.app)
      .get('/auth/session/me')
      .set('Cookie', sessionCookie)
      .expect(200);
    expect(me.body).toMatchObject({ user: { username: user.username } });
  });
});

describe('when PostgreSQL is lost', () => {
  it('then requests answer 503 with the database body while it is gone, and recover by themselves', async () => {
    await pgProxy.cut();
    const res = await request(api.app).get(`/api/articles/nope-${Date.now()}`).expect(503);
    expect(res.body).toEqual({
      errors: { body: ['database unavailable'] },
      requestId: expect.any(String),
    });
    const ready = await request(api.app).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ checks: { redis: 'ok' } });
    await pgProxy.restore();
    await eventually(async () => {
      await request(api.app).get('/api/articles').expect(200);
    });
    await request(api.app).get('/readyz').expect(200);
  });

  it('then a black-holed database also ends in a 503, not a hang', async () => {
    pgProxy.blackhole();
    const res = await request(api.app).get(`/api/profiles/${user.username}`).expect(503);
    expect(res.body).toMatchObject({ errors: { body: ['database unavailable'] } });
    await pgProxy.restore();
    await eventually(async () => {
      await request(api.app).get(`/api/profiles/${user.username}`).expect(200);
    });
  });
});

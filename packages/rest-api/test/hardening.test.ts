import { awayFromWindowEdge } from '@roadmap/kit/testing';
import request from 'supertest';
import { registerUser, startApi, useApi } from './helpers';

const t = useApi('hardening');

describe('HTTP hardening', () => {
  it('when any response is sent, then helmet headers are set and x-powered-by is not', async () => {
    const res = await t.http().get('/api/tags').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('when the body is too large (413) or not JSON (400), then the answer still carries the security and CORS headers', async () => {
    const big = await t
      .http()
      .post('/api/users')
      .set('Origin', 'http://localhost:4200')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ user: { bio: 'x'.repeat(2 * 1024 * 1024) } }))
      .expect(413);
    const bad = await t
      .http()
      .post('/api/users')
      .set('Origin', 'http://localhost:4200')
      .set('Content-Type', 'application/json')
      .send('{"user":')
      .expect(400);
    for (const res of [big, bad]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.body).toHaveProperty('errors');
    }
  });

  it('when a preflight carries a malformed JSON body, then it is answered without parsing it', async () => {
    const res = await t
      .http()
      .options('/api/users')
      .set('Origin', 'http://localhost:4200')
      .set('Access-Control-Request-Method', 'POST')
      .set('Content-Type', 'application/json')
      .send('{not json')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('when a request arrives, then its id is in the response header and in error bodies; a sane incoming id is kept', async () => {
    const fresh = await t.http().get('/api/articles/nope').expect(404);
    const id = fresh.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.body).toEqual({ errors: { article: ['not found'] }, requestId: id });
    const kept = await t.http().get('/api/tags').set('X-Request-Id', 'trace-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('trace-123');
  });

  it('when a route does not exist, then 404 in the one error shape', async () => {
    const res = await t.http().patch('/api/articles').expect(404);
    expect(res.body).toMatchObject({ errors: { route: [expect.stringContaining('no route')] } });
  });

  it('when a browser on another origin preflights, then CORS allows it with the Authorization header', async () => {
    const res = await t
      .http()
      .options('/api/articles')
      .set('Origin', 'http://localhost:4200')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const simple = await t
      .http()
      .get('/api/tags')
      .set('Origin', 'http://localhost:4200')
      .expect(200);
    expect(simple.headers['access-control-allow-origin']).toBe('*');
    expect(simple.headers['access-control-expose-headers']).toMatch(/ETag/);
  });

  it('when the same GET is repeated with If-None-Match, then 304 without a body; after a change, 200 again', async () => {
    const user = await registerUser(t, 'etag');
    const created = await t
      .http()
      .post('/api/articles')
      .set(user.auth)
      .send({ article: { title: 'Etag article', description: 'd', body: 'b' } })
      .expect(201);
    const { slug } = (created.body as { article: { slug: string } }).article;
    const first = await t.http().get(`/api/articles/${slug}`).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.vary).toMatch(/Authorization/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await t
      .http()
      .get(`/api/articles/${slug}`)
      .set('If-None-Match', etag)
      .expect(304);
    expect(again.text).toBe('');
    await t
      .http()
      .put(`/api/articles/${slug}`)
      .set(user.auth)
      .send({ article: { body: 'changed' } })
      .expect(200);
    const changed = await t
      .http()
      .get(`/api/articles/${slug}`)
      .set('If-None-Match', etag)
      .expect(200);
    expect(changed.body).toMatchObject({ article: { body: 'changed' } });
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('when signed in with a session cookie instead of a token, then GET /api/user works and a change needs the CSRF token', async () => {
    const user = await registerUser(t, 'session');
    const origin = 'http://localhost:3000';
    const agent = request.agent(t.api.app);
    const login = await agent
      .post('/auth/session/login')
      .set('Origin', origin)
      .send({ email: user.email, password: user.password })
      .expect(200);
    const { csrfToken } = login.body as { csrfToken: string };
    const me = await agent.get('/api/user').expect(200);
    expect(me.body).toMatchObject({ user: { username: user.username, token: expect.any(String) } });
    const refused = await agent
      .put('/api/user')
      .set('Origin', origin)
      .send({ user: { bio: 'via session' } })
      .expect(403);
    expect(refused.body).toMatchObject({ errors: { csrf: ['is invalid'] } });
    const ok = await agent
      .put('/api/user')
      .set('Origin', origin)
      .set('x-csrf-token', csrfToken)
      .send({ user: { bio: 'via session' } })
      .expect(200);
    expect(ok.body).toMatchObject({ user: { bio: 'via session' } });
  });
});

describe('rate limiting (Redis-backed)', () => {
  // Loopback is exempt by default; this app exempts nobody and allows 3 requests a minute.
  const limited = useApi('ratelimit', {
    RATE_LIMIT_MAX: 3,
    RATE_LIMIT_WINDOW_SECONDS: 60,
    RATE_LIMIT_EXEMPT: [],
  });

  it('when a client goes over the limit, then 429 with Retry-After and the error shape', async () => {
    // Every request in one window (a fixed window's edge restarts the count).
    await awayFromWindowEdge(60);
    for (let i = 3; i >= 1; i--) {
      const ok = await limited.http().get('/api/tags').expect(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(i - 1));
    }
    const res = await limited.http().get('/api/tags').expect(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({
      errors: { request: [expect.stringContaining('too many requests')] },
    });
    // Refused before its body is read: malformed JSON gets the 429, not a 400.
    const unparsed = await limited
      .http()
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send('{not json')
      .expect(429);
    expect(unparsed.headers['x-content-type-options']).toBe('nosniff');
    // The counter lives in Redis under this file's prefix.
    const keys = await limited.cache.redis.keys('*');
    expect(keys.some((key) => key.includes('ratelimit:'))).toBe(true);
  });

  it('when one IPv6 client rotates through the addresses of its /64, then they all count against one limit', async () => {
    // Behind a proxy (TRUST_PROXY), so the test can choose the client address.
    const proxied = await startApi('ratelimit6', {
      RATE_LIMIT_MAX: 3,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_EXEMPT: [],
      TRUST_PROXY: true,
    });
    try {
      await awayFromWindowEdge(60);
      const from = (ip: string) => proxied.http().get('/api/tags').set('X-Forwarded-For', ip);
      for (let i = 1; i <= 3; i++) await from(`2001:db8:7:1::${i}`).expect(200);
      const refused = await from('2001:db8:7:1:ffff:ffff:ffff:ffff').expect(429);
      expect(refused.body).toMatchObject({
        errors: { request: [expect.stringContaining('too many requests')] },
      });
      // The next /64 is someone else; an IPv4 client on a dual-stack socket is its IPv4 self.
      await from('2001:db8:7:2::1').expect(200);
      for (let i = 0; i < 3; i++) await from('203.0.113.9').expect(200);
      await from('::ffff:203.0.113.9').expect(429);
    } finally {
      await proxied.stop();
    }
  });

  it('when the client is exempt (loopback by default), then it is never limited', async () => {
    for (let i = 0; i < 10; i++) await t.http().get('/api/tags').expect(200);
  });
});

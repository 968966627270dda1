import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(
  async () => ({ server, close } = await startServer({ corsOrigins: ['http://allowed.test'] })),
);
afterAll(() => close());

describe('CORS (/cors/data)', () => {
  it('when an allowed origin sends a simple GET, then the answer names that origin and varies on Origin', async () => {
    const res = await request(server)
      .get('/cors/data')
      .set('Origin', 'http://allowed.test')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://allowed.test');
    expect(res.headers['access-control-expose-headers']).toBe('X-Lesson');
    expect(res.headers.vary).toBe('Origin');
    expect(res.body.origin).toBe('http://allowed.test');
  });

  it('when another origin asks, then the data is sent without CORS headers (the browser will hide it)', async () => {
    const res = await request(server)
      .get('/cors/data')
      .set('Origin', 'http://evil.test')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Origin');
  });

  it('when an allowed origin preflights a JSON PUT, then 204 allows the method and header, and the server records it', async () => {
    const res = await request(server)
      .options('/cors/data')
      .set('Origin', 'http://allowed.test')
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'content-type')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://allowed.test');
    expect(res.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(res.headers['access-control-allow-headers']).toBe('Content-Type, X-Lesson');
    expect(res.headers['access-control-max-age']).toBe('600');
    const seen = await request(server).get('/cors/last-preflight').expect(200);
    expect(seen.body.preflight).toMatchObject({
      origin: 'http://allowed.test',
      requestMethod: 'PUT',
      requestHeaders: 'content-type',
      allowed: true,
    });
  });

  it('when a disallowed origin preflights, then 403 without Access-Control-Allow-Origin', async () => {
    const res = await request(server)
      .options('/cors/data')
      .set('Origin', 'http://evil.test')
      .set('Access-Control-Request-Method', 'PUT')
      .expect(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.body.errors.origin[0]).toContain('http://evil.test');
  });

  it('when the real PUT follows, then the message changes and the answer is readable cross-origin', async () => {
    const res = await request(server)
      .put('/cors/data')
      .set('Origin', 'http://allowed.test')
      .send({ message: 'from afar' })
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://allowed.test');
    expect((await request(server).get('/cors/data')).body.message).toBe('from afar');
  });

  it('when OPTIONS comes without preflight headers, then it is a plain "what can I do here" answer', async () => {
    const res = await request(server).options('/cors/data').expect(204);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS, PUT');
  });
});

describe('CORS default policy', () => {
  it('when no list is configured, then any localhost or 127.0.0.1 port is allowed and other hosts are not', async () => {
    const local = await startServer();
    try {
      for (const origin of [
        'http://localhost:5173',
        'https://127.0.0.1:8443',
        'http://[::1]:3000',
      ]) {
        const res = await request(local.server).get('/cors/data').set('Origin', origin).expect(200);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
      }
      const other = await request(local.server)
        .get('/cors/data')
        .set('Origin', 'http://localhost.evil.test')
        .expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await local.close();
    }
  });
});

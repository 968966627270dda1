import request from 'supertest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

const publicDir = path.join(__dirname, '..', 'public');

describe('the lesson page (static files)', () => {
  it('when / is asked, then index.html is served as HTML with a Content-Security-Policy', async () => {
    const res = await request(server).get('/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(readFileSync(path.join(publicDir, 'index.html'), 'utf8'));
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('when a browser asks for /favicon.ico, then it gets the page icon, not a 404', async () => {
    const res = await request(server).get('/favicon.ico').expect(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(String(res.body as Buffer)).toBe(
      readFileSync(path.join(publicDir, 'favicon.svg'), 'utf8'),
    );
    const page = await request(server).get('/').expect(200);
    expect(page.text).toContain('<link rel="icon" href="/favicon.svg"');
  });

  it.each([
    ['/style.css', 'text/css; charset=utf-8', 'style.css'],
    ['/app.js', 'text/javascript; charset=utf-8', 'app.js'],
  ])('when %s is asked, then it is served with type %s', async (url, type, file) => {
    const res = await request(server).get(url).expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.text).toBe(readFileSync(path.join(publicDir, file), 'utf8'));
  });

  it('when the ETag is sent back, then the file is not sent again (304)', async () => {
    const first = await request(server).get('/app.js').expect(200);
    const second = await request(server)
      .get('/app.js')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
    expect(second.text).toBe('');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/public/app.js',
    '/.env',
  ])('when a path tries to leave the public folder (%s), then 404', async (url) => {
    const res = await request(server).get(url).expect(404);
    expect(res.text).not.toContain('@roadmap/basics');
  });
});

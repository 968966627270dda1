import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('headers (/headers)', () => {
  it('when custom headers are sent, then they are echoed raw (spelling kept) and normalised (lower-case)', async () => {
    const res = await request(server).get('/headers?x=1').set('X-Lesson-Demo', 'Hello').expect(200);
    expect(res.body.requestLine).toBe('GET /headers?x=1 HTTP/1.1');
    expect(res.body.rawHeaders).toEqual(expect.arrayContaining([['X-Lesson-Demo', 'Hello']]));
    expect(res.body.headers['x-lesson-demo']).toBe('Hello');
  });

  it('when any response is sent, then it declares its type, length and caching', async () => {
    const res = await request(server).get('/headers').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['server-timing']).toContain('app');
  });
});

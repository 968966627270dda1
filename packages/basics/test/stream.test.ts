import request from 'supertest';
import http, { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let port: number;
let close: () => Promise<void>;
beforeAll(async () => ({ server, port, close } = await startServer()));
afterAll(() => close());

describe('streaming (/stream)', () => {
  it('when the stream is read, then it is chunked (no Content-Length) and the chunks arrive apart in time', async () => {
    const arrivals: { at: number; text: string }[] = [];
    const started = Date.now();
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      http
        .get({ port, path: '/stream?chunks=3&delay=150' }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (text: string) => arrivals.push({ at: Date.now() - started, text }));
          res.on('end', () => resolve(res.headers));
        })
        .on('error', reject);
    });
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-length']).toBeUndefined();
    const text = arrivals.map((a) => a.text).join('');
    expect(text).toMatch(/^chunk 1 of 3 at .+\nchunk 2 of 3 at .+\nchunk 3 of 3 at .+\n$/);
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(250);
  });

  it('when the parameters are out of range, then 400 before any byte is streamed', async () => {
    const res = await request(server).get('/stream?chunks=1000').expect(400);
    expect(res.body.errors.chunks[0]).toContain('1 to 20');
    await request(server).get('/stream?delay=-1').expect(400);
  });

  it('when the client disconnects mid-stream, then the server stops writing and keeps serving', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ port, path: '/stream?chunks=20&delay=100' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) =>
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
      );
    });
    await request(server).get('/healthz').expect(200);
  });
});

import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('status codes (/status)', () => {
  it('when /status/201 is asked, then the answer is a 201 that explains its class', async () => {
    const res = await request(server).get('/status/201').expect(201);
    expect(res.body).toMatchObject({
      status: 201,
      reason: 'Created',
      class: expect.stringContaining('success'),
    });
  });

  it('when /status/204 is asked, then there is no body at all', async () => {
    const res = await request(server).get('/status/204').expect(204);
    expect(res.text).toBe('');
    expect(res.headers['content-length']).toBeUndefined();
  });

  it('when a 4xx or 5xx is asked, then it carries the headers that code needs (Allow, Retry-After)', async () => {
    expect((await request(server).get('/status/405').expect(405)).headers.allow).toBe('GET');
    const unavailable = await request(server).get('/status/503').expect(503);
    expect(unavailable.headers['retry-after']).toBe('5');
    expect(unavailable.body.class).toContain('server error');
  });

  it('when the code is unknown or 1xx, then 400 with a reason', async () => {
    expect((await request(server).get('/status/299').expect(400)).body.errors.code[0]).toContain(
      'not a status code',
    );
    expect((await request(server).get('/status/abc').expect(400)).body.errors.code[0]).toContain(
      '"abc"',
    );
    expect((await request(server).get('/status/100').expect(400)).body.errors.code[0]).toContain(
      '1xx',
    );
  });

  it('when a handler throws, then 500 without internals, and the server keeps serving', async () => {
    const res = await request(server).get('/status/crash').expect(500);
    expect(res.body).toEqual({
      errors: { server: ['Something went wrong on our side; the details are in the server log.'] },
    });
    expect(res.text).not.toContain('on purpose');
    await request(server).get('/healthz').expect(200, { status: 'ok' });
  });

  it('when the path is unknown, then 404 in the same error shape', async () => {
    const res = await request(server).get('/no/such/page').expect(404);
    expect(res.body.errors.path[0]).toContain('/no/such/page');
  });

  it('when the path has broken percent-encoding, then 400 instead of a crash', async () => {
    const res = await request(server).get('/methods/notes/%E0%A4%A').expect(400);
    expect(res.body.errors.path[0]).toContain('percent-encoding');
  });

  it('when /status is asked, then it lists examples with links to try', async () => {
    const res = await request(server).get('/status').expect(200);
    expect(res.body.examples).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 404, try: '/status/404' })]),
    );
  });
});

import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let url: string;
let close: () => Promise<void>;
beforeAll(async () => ({ server, url, close } = await startServer()));
afterAll(() => close());

describe('redirects (/redirect/:code)', () => {
  it.each([301, 302, 303, 307, 308])(
    'when /redirect/%i is asked, then that status points at /redirect/target',
    async (code) => {
      const res = await request(server).get(`/redirect/${code}`).redirects(0).expect(code);
      expect(res.headers.location).toBe('/redirect/target');
      expect(res.body.meaning).toBeTruthy();
    },
  );

  // fetch follows redirects the way browsers do, which is what the lesson is about.
  it.each([
    [301, 'GET', null],
    [302, 'GET', null],
    [303, 'GET', null],
    [307, 'POST', 'hello'],
    [308, 'POST', 'hello'],
  ])(
    'when a POST is redirected with %i, then the target receives %s with body %p',
    async (code, method, body) => {
      const res = await fetch(`${url}/redirect/${code}`, {
        method: 'POST',
        body: 'hello',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(res.status).toBe(200);
      expect(res.redirected).toBe(true);
      expect(await res.json()).toMatchObject({ method, body });
    },
  );

  it('when the code is not a redirect, then 404 listing the ones to try', async () => {
    const res = await request(server).get('/redirect/200').expect(404);
    expect(res.body.errors.code[0]).toContain('/redirect/307');
  });
});

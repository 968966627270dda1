import request from 'supertest';
import { type Server } from 'node:http';
import { parseCookies } from '../src/http/cookies';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('cookies (/cookies)', () => {
  it('when cookies are set, then the session one is HttpOnly and both are SameSite=Lax with a Max-Age', async () => {
    const res = await request(server).post('/cookies').expect(200);
    const setCookie = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toHaveLength(2);
    expect(setCookie[0]).toMatch(
      /^lesson_session=[\w-]{16}; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(setCookie[1]).toBe('lesson_theme=dark; Max-Age=3600; Path=/; SameSite=Lax');
  });

  it('when a client keeps the cookies, then GET /cookies shows what it sent back', async () => {
    const agent = request.agent(server);
    await agent.post('/cookies').send({ theme: 'solarized' }).expect(200);
    const res = await agent.get('/cookies').expect(200);
    expect(res.body.cookies.lesson_theme).toBe('solarized');
    expect(res.body.cookies.lesson_session).toMatch(/^[\w-]{16}$/);
    expect(res.body.cookieHeader).toContain('lesson_theme=solarized');
  });

  it('when cookies are deleted, then they are set again with Max-Age=0', async () => {
    const res = await request(server).delete('/cookies').expect(200);
    const setCookie = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toEqual([
      'lesson_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
      'lesson_theme=; Max-Age=0; Path=/; SameSite=Lax',
    ]);
  });

  it('when the theme is not letters, then 422 and no cookie is set', async () => {
    const res = await request(server)
      .post('/cookies')
      .send({ theme: 'x; Domain=evil.example' })
      .expect(422);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body.errors.theme[0]).toContain('letters');
  });

  it('when a Cookie header is malformed, then parsing keeps what it can instead of failing', async () => {
    expect(parseCookies('a=1; junk; b=%E0%A4%A; =x; c = 3 ; __proto__=p')).toEqual({
      a: '1',
      b: '%E0%A4%A',
      c: '3',
      ['__proto__']: 'p',
    });
    const res = await request(server).get('/cookies').set('Cookie', 'a=%zz; b=2').expect(200);
    expect(res.body.cookies).toEqual({ a: '%zz', b: '2' });
  });
});

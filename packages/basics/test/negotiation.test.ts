import request from 'supertest';
import { type Server } from 'node:http';
import { negotiate } from '../src/http/accept';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('content negotiation (/negotiate)', () => {
  it.each([
    ['application/json', 'application/json; charset=utf-8', '"format":"application/json"'],
    ['text/html', 'text/html; charset=utf-8', '<p>'],
    ['text/plain', 'text/plain; charset=utf-8', '(format: text/plain)'],
    ['text/html;q=0.5, text/plain;q=0.9', 'text/plain; charset=utf-8', '(format: text/plain)'],
    ['*/*', 'application/json; charset=utf-8', '"format"'],
  ])('when Accept is %s, then the body is %s', async (accept, type, snippet) => {
    const res = await request(server).get('/negotiate').set('Accept', accept).expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers.vary).toBe('Accept');
    expect(res.text).toContain(snippet);
  });

  it('when no type is acceptable, then 406 naming what the server can produce', async () => {
    const res = await request(server).get('/negotiate').set('Accept', 'image/png').expect(406);
    expect(res.body.errors.accept[0]).toContain('application/json, text/html, text/plain');
    expect(res.headers.vary).toBe('Accept');
  });

  it('when a type is refused with q=0, then it is never chosen even though */* matches', () => {
    expect(negotiate('application/json;q=0, */*', ['application/json', 'text/plain'])).toBe(
      'text/plain',
    );
    expect(negotiate('text/*;q=0.2, text/html', ['text/plain', 'text/html'])).toBe('text/html');
    expect(negotiate('garbage, ;;;', ['text/plain'])).toBeNull();
    expect(negotiate(undefined, ['text/plain'])).toBe('text/plain');
  });
});

import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('caching (/cache/resource)', () => {
  it('when the resource is fetched, then it has an ETag, a Last-Modified and Cache-Control: no-cache', async () => {
    const res = await request(server).get('/cache/resource').expect(200);
    expect(res.headers.etag).toMatch(/^"[\w-]{16}"$/);
    expect(new Date(res.headers['last-modified'] as string).toUTCString()).toBe(
      res.headers['last-modified'],
    );
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body.text).toContain('first version');
  });

  it('when If-None-Match has the current ETag, then 304 with no body; a different ETag gets a 200', async () => {
    const { headers } = await request(server).get('/cache/resource').expect(200);
    const notModified = await request(server)
      .get('/cache/resource')
      .set('If-None-Match', headers.etag as string)
      .expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(headers.etag);
    await request(server)
      .get('/cache/resource')
      .set('If-None-Match', '"something-else"')
      .expect(200);
    await request(server)
      .get('/cache/resource')
      .set('If-None-Match', `W/${headers.etag as string}`)
      .expect(304);
  });

  it('when If-Modified-Since is at or after Last-Modified, then 304; before it, then 200', async () => {
    const { headers } = await request(server).get('/cache/resource').expect(200);
    const lastModified = headers['last-modified'] as string;
    await request(server).get('/cache/resource').set('If-Modified-Since', lastModified).expect(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    await request(server).get('/cache/resource').set('If-Modified-Since', earlier).expect(200);
    await request(server).get('/cache/resource').set('If-Modified-Since', 'not a date').expect(200);
  });

  it('when the resource changes, then the old ETag no longer matches, and a stale If-Match gets 412', async () => {
    const before = await request(server).get('/cache/resource').expect(200);
    const oldEtag = before.headers.etag as string;
    const put = await request(server)
      .put('/cache/resource')
      .set('If-Match', oldEtag)
      .send({ text: 'Version two.' })
      .expect(200);
    expect(put.headers.etag).not.toBe(oldEtag);
    expect(put.body.text).toBe('Version two.');
    const after = await request(server)
      .get('/cache/resource')
      .set('If-None-Match', oldEtag)
      .expect(200);
    expect(after.body.text).toBe('Version two.');
    const stale = await request(server)
      .put('/cache/resource')
      .set('If-Match', oldEtag)
      .send({ text: 'Lost update' })
      .expect(412);
    expect(stale.body.errors['if-match'][0]).toContain(put.headers.etag as string);
    expect((await request(server).get('/cache/resource')).body.text).toBe('Version two.');
  });
});

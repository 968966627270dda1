import request from 'supertest';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let close: () => Promise<void>;
beforeAll(async () => ({ server, close } = await startServer()));
afterAll(() => close());

describe('methods and idempotency (/methods/notes)', () => {
  it('when a note is POSTed twice, then two notes exist (POST is not idempotent) and each has a Location', async () => {
    const first = await request(server)
      .post('/methods/notes')
      .send({ text: 'buy milk' })
      .expect(201);
    const second = await request(server)
      .post('/methods/notes')
      .send({ text: 'buy milk' })
      .expect(201);
    expect(first.headers.location).toBe(`/methods/notes/${first.body.note.id}`);
    expect(second.body.note.id).not.toBe(first.body.note.id);
    const list = await request(server).get('/methods/notes').expect(200);
    const ids = (list.body as { notes: { id: string }[] }).notes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([first.body.note.id, second.body.note.id]));
  });

  it('when the same PUT is sent twice, then the first creates (201) and the second replaces (200) with the same state', async () => {
    const first = await request(server)
      .put('/methods/notes/shopping')
      .send({ text: 'eggs' })
      .expect(201);
    expect(first.headers.location).toBe('/methods/notes/shopping');
    const second = await request(server)
      .put('/methods/notes/shopping')
      .send({ text: 'eggs' })
      .expect(200);
    expect(second.body.note).toMatchObject({ id: 'shopping', text: 'eggs' });
    const got = await request(server).get('/methods/notes/shopping').expect(200);
    expect(got.body.note.text).toBe('eggs');
  });

  it('when a note is PATCHed, then only it changes; PATCH on a missing note is a 404 (PATCH never creates)', async () => {
    await request(server).put('/methods/notes/patchme').send({ text: 'old' }).expect(201);
    const patched = await request(server)
      .patch('/methods/notes/patchme')
      .send({ text: 'new' })
      .expect(200);
    expect(patched.body.note).toMatchObject({ id: 'patchme', text: 'new' });
    const missing = await request(server)
      .patch('/methods/notes/nope')
      .send({ text: 'x' })
      .expect(404);
    expect(missing.body.errors.note[0]).toContain('nope');
  });

  it('when a note is DELETEd twice, then 204 then 404, and it is gone either way', async () => {
    await request(server).put('/methods/notes/gone').send({ text: 'bye' }).expect(201);
    const deleted = await request(server).delete('/methods/notes/gone').expect(204);
    expect(deleted.text).toBe('');
    await request(server).delete('/methods/notes/gone').expect(404);
    await request(server).get('/methods/notes/gone').expect(404);
  });

  it('when HEAD is sent, then the headers of GET come back without a body', async () => {
    await request(server).put('/methods/notes/head').send({ text: 'headline' }).expect(201);
    const get = await request(server).get('/methods/notes/head').expect(200);
    const head = await request(server).head('/methods/notes/head').expect(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  it('when OPTIONS is sent, then 204 with an Allow header listing the methods', async () => {
    const res = await request(server).options('/methods/notes/any').expect(204);
    expect(res.headers.allow).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, PUT');
  });

  it('when an unsupported method is used on a known path, then 405 with Allow (not 404)', async () => {
    const res = await request(server).delete('/methods/notes').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
    expect(res.body.errors.method[0]).toContain('DELETE is not supported');
  });

  it('when the body is not JSON, then 415; when it is broken JSON, then 400; when text is missing, then 422', async () => {
    const wrongType = await request(server)
      .post('/methods/notes')
      .set('Content-Type', 'text/plain')
      .send('hi')
      .expect(415);
    expect(wrongType.body.errors.body[0]).toContain('application/json');
    const broken = await request(server)
      .post('/methods/notes')
      .set('Content-Type', 'application/json')
      .send('{"text":')
      .expect(400);
    expect(broken.body.errors.body[0]).toContain('not valid JSON');
    const invalid = await request(server)
      .post('/methods/notes')
      .send({ title: 'no text' })
      .expect(422);
    expect(invalid.body).toEqual({ errors: { text: ['must be a string of 1 to 500 characters'] } });
  });

  it('when a PUT id has characters outside a-z0-9-, then 400', async () => {
    const res = await request(server)
      .put('/methods/notes/Bad%20Id')
      .send({ text: 'x' })
      .expect(400);
    expect(res.body.errors.id[0]).toContain('1–40 characters');
  });
});

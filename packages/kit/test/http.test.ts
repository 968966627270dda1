import { Writable } from 'node:stream';
import request from 'supertest';
import { AppError, createLogger, getRequestId } from '../src';
import { createHttpApp, finishHttpApp } from '../src/express';
import { buildExampleApp } from '../src/example/app';

describe('the kit HTTP app', () => {
  const { app } = buildExampleApp({});

  it('when a route throws an unexpected error, then the client gets the one JSON shape with the request id and no details', async () => {
    const res = await request(app).get('/boom').expect(500);
    expect(res.body).toEqual({
      errors: { body: ['internal server error'] },
      requestId: res.headers['x-request-id'],
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).not.toMatch(/something broke|at .*\.ts/);
  });

  it('when a route throws an AppError, then its status, field and message are used', async () => {
    const res = await request(app).get('/teapot').expect(418);
    expect(res.body.errors).toEqual({ pot: ['is a teapot'] });
  });

  it('when the caller sends an x-request-id, then the same id comes back', async () => {
    const res = await request(app).get('/teapot').set('x-request-id', 'abc-123').expect(418);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body.requestId).toBe('abc-123');
  });

  it('when the x-request-id is not a safe token, then a fresh one replaces it', async () => {
    const res = await request(app).get('/').set('x-request-id', 'bad id\twith spaces').expect(200);
    expect(res.headers['x-request-id']).not.toContain('bad');
  });

  it('when no route matches, then 404 in the same shape', async () => {
    const res = await request(app).get('/nope').expect(404);
    expect(res.body.errors).toEqual({ route: ['no route for GET /nope'] });
  });

  it('when the JSON body is malformed, then 400 instead of a 500', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(res.body.errors).toEqual({ body: ['is not valid JSON'] });
  });

  it('when the JSON body is over the limit, then 413', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(200_000) }))
      .expect(413);
    expect(res.body.errors.body[0]).toMatch(/larger than 100kb/);
  });

  it('when the path is badly percent-encoded, then 400 instead of a 500', async () => {
    const res = await request(app).get('/echo/%E0%A4%A').expect(404);
    expect(res.body.errors).toBeDefined();
    const { app: withParam } = createHttpApp({ name: 't' });
    withParam.get('/things/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    finishHttpApp(withParam);
    const bad = await request(withParam).get('/things/%E0%A4%A').expect(400);
    expect(bad.body.errors).toEqual({ url: ['is not a valid URL'] });
  });

  it('when the body is the JSON literal null, then the route sees null (its schema decides)', async () => {
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send('null')
      .expect(200);
    expect(res.body).toEqual({ received: null });
  });

  it('when edge middleware is given, then it runs before the body parser, so a 413 carries its headers', async () => {
    const { app: edged } = createHttpApp({
      name: 't',
      edge: [
        (_req, res, next) => {
          res.setHeader('x-edge', 'seen');
          next();
        },
      ],
    });
    edged.post('/x', (_req, res) => {
      res.json({});
    });
    finishHttpApp(edged);
    const res = await request(edged)
      .post('/x')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(200_000) }))
      .expect(413);
    expect(res.headers['x-edge']).toBe('seen');
  });

  it('when a body is fine, then it is parsed', async () => {
    const res = await request(app).post('/echo').send({ a: 1 }).expect(200);
    expect(res.body).toEqual({ received: { a: 1 } });
  });

  it('when x-powered-by would be sent, then it is not', async () => {
    const res = await request(app).get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('health endpoints', () => {
  it('when every readiness check passes, then /readyz is 200 and lists them', async () => {
    const { app } = createHttpApp({ name: 't', readiness: [{ name: 'db', check: async () => 1 }] });
    finishHttpApp(app);
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { db: 'ok' } });
  });

  it('when a dependency fails, then /readyz is 503 naming it while /healthz stays 200', async () => {
    const { app } = createHttpApp({
      name: 't',
      readiness: [
        { name: 'db', check: async () => 1 },
        { name: 'cache', check: () => Promise.reject(new Error('connection refused')) },
      ],
    });
    finishHttpApp(app);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { db: 'ok', cache: 'connection refused' },
    });
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('when details are off (production), then /readyz says only "down" and the reason goes to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const { app } = createHttpApp({
      name: 't',
      healthDetails: false,
      logger: createLogger({ level: 'info', destination: sink }),
      readiness: [
        { name: 'db', check: async () => 1 },
        {
          name: 'postgres',
          check: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.3.7:5432')),
        },
      ],
    });
    finishHttpApp(app);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', checks: { db: 'ok', postgres: 'down' } });
    expect(res.text).not.toContain('10.0.3.7');
    expect(lines.join('')).toContain('connect ECONNREFUSED 10.0.3.7:5432');
  });

  it('when shutdown starts, then /readyz is 503 at once, other routes are still served during the drain with connection: close, and refused with 503 once closing', async () => {
    const { app, health } = createHttpApp({ name: 't' });
    app.get('/work', (_req, res) => {
      res.json({ ok: true });
    });
    finishHttpApp(app);
    health.markShuttingDown();
    const ready = await request(app).get('/readyz').expect(503);
    expect(ready.body.status).toBe('shutting_down');
    const draining = await request(app).get('/work').expect(200, { ok: true });
    expect(draining.headers.connection).toBe('close');
    await request(app).get('/healthz').expect(200, { status: 'ok' });

    health.markClosing();
    const work = await request(app).get('/work').expect(503);
    expect(work.headers.connection).toBe('close');
    expect(work.body.errors).toEqual({ body: ['server is shutting down'] });
  });
});

describe('request-scoped logging', () => {
  it('when code logs while serving a request, then the line carries that request id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const streamLogger = createLogger({ level: 'info', destination: sink });
    const { app } = createHttpApp({ name: 't', logger: streamLogger });
    app.get('/deep', async (_req, res) => {
      await Promise.resolve();
      streamLogger.info('deep inside a service');
      res.json({ id: getRequestId() });
    });
    finishHttpApp(app);
    const res = await request(app).get('/deep').set('x-request-id', 'req-42').expect(200);
    expect(res.body).toEqual({ id: 'req-42' });
    const deep = lines
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string })
      .find((l) => l.msg === 'deep inside a service');
    expect(deep?.requestId).toBe('req-42');
  });

  it('when a request is refused (404), then it is logged once, with the error code and a level name', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const { app } = createHttpApp({
      name: 't',
      logger: createLogger({ level: 'info', destination: sink }),
    });
    finishHttpApp(app);
    await request(app).get('/nope').set('x-request-id', 'req-404').expect(404);
    const mine = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.requestId === 'req-404');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 'info',
      status: 404,
      code: 'route_not_found',
      url: '/nope',
    });
  });

  it('when an AppError is built with helpers, then status and headers follow the convention', () => {
    const limited = AppError.tooManyRequests(2.2);
    expect(limited.status).toBe(429);
    expect(limited.headers['Retry-After']).toBe('3');
    expect(AppError.conflict('email').details).toEqual({ email: ['has already been taken'] });
  });
});

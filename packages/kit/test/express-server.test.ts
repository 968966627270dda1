import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createExpressServer, createHttpApp, finishHttpApp } from '../src/express';

/**
 * createExpressServer() must hand Express requests and responses that already have the app's
 * prototypes (so Express's per-request Object.setPrototypeOf changes nothing), while staying
 * ordinary Node objects that every Express helper works on.
 */
async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Whether the objects of the first request had the app's prototypes before Express ran. */
async function bornPrototypes(makeServer: (app: express.Express) => http.Server) {
  const app = express();
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const server = makeServer(app);
  let seen: { req: boolean; res: boolean } | undefined;
  // Prepended, so it runs before the app (the server's first 'request' listener).
  server.prependListener('request', (req, res) => {
    seen = {
      req: Object.getPrototypeOf(req) === app.request,
      res: Object.getPrototypeOf(res) === app.response,
    };
  });
  const url = await listen(server);
  try {
    const response = await fetch(url);
    expect(await response.json()).toEqual({ ok: true });
  } finally {
    await close(server);
  }
  return seen;
}

describe('createExpressServer', () => {
  it("creates requests and responses with the app's prototypes from the start", async () => {
    expect(await bornPrototypes((app) => createExpressServer(app))).toEqual({
      req: true,
      res: true,
    });
  });

  it('differs from http.createServer(app), where Express has to change them per request', async () => {
    expect(await bornPrototypes((app) => http.createServer(app))).toEqual({
      req: false,
      res: false,
    });
  });

  it('keeps them Node objects on which every Express helper and the kit middleware work', async () => {
    const { app } = createHttpApp({ name: 'born' });
    app.post('/echo/:id', (req, res) => {
      res
        .status(201)
        .set('x-kind', String(req instanceof http.IncomingMessage))
        .json({
          id: req.params.id,
          q: req.query.q,
          body: req.body as unknown,
          accepts: req.accepts('json'),
          isResponse: res instanceof http.ServerResponse,
        });
    });
    finishHttpApp(app);
    const server = createExpressServer(app, { keepAliveTimeout: 1_000 });
    const url = await listen(server);
    try {
      const response = await fetch(`${url}/echo/7?q=x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ a: 1 }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-kind')).toBe('true');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      expect(await response.json()).toEqual({
        id: '7',
        q: 'x',
        body: { a: 1 },
        accepts: 'json',
        isResponse: true,
      });
      const missing = await fetch(`${url}/nowhere`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ errors: { route: [expect.any(String)] } });
      expect(server.keepAliveTimeout).toBe(1_000);
    } finally {
      await close(server);
    }
  });
});

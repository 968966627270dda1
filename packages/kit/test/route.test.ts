import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import request from 'supertest';
import { AppError, jsonResponse, weakEtag } from '../src';
import {
  createHttpApp,
  createRouteRegistry,
  defineRoute,
  finishHttpApp,
  z,
  type RouteContext,
} from '../src/express';

type Policy = 'public' | 'signed-in';
type Actor = { name: string } | null;

/** A stand-in for auth's policy and actor: kit knows neither, the context brings them. */
function buildApp() {
  const router = Router();
  const seen: string[] = [];
  const context: RouteContext<Actor, Policy> = {
    router,
    registry: createRouteRegistry(),
    routePolicy:
      (policy): RequestHandler =>
      (req, _res, next) => {
        seen.push(`policy ${policy}`);
        if (policy === 'signed-in' && !req.get('x-user'))
          throw AppError.unauthorized('token', 'is missing');
        next();
      },
    actorOf: (req) => (req.get('x-user') ? { name: req.get('x-user')! } : null),
  };
  defineRoute(context, {
    method: 'post',
    path: '/login',
    operationId: 'Login',
    summary: 'A body without an envelope',
    tag: 'Test',
    policy: 'public',
    middleware: [
      (_req, _res, next) => {
        seen.push('middleware');
        next();
      },
    ],
    body: { schema: z.object({ email: z.string().min(1, "can't be blank") }) },
    success: { status: 200, description: 'ok', schema: z.object({ email: z.string() }) },
    errors: [401],
    handle: ({ body, res }) => {
      seen.push('handler');
      res.set('Cache-Control', 'no-store');
      return Promise.resolve({ email: body.email });
    },
  });
  defineRoute(context, {
    method: 'put',
    path: '/notes/:id',
    operationId: 'SaveNote',
    summary: 'An enveloped body, path parameters, an actor',
    tag: 'Test',
    policy: 'signed-in',
    params: z.object({ id: z.coerce.number().int() }),
    body: { name: 'note', schema: z.object({ text: z.string().min(1, "can't be blank") }) },
    success: { status: 200, description: 'ok' },
    errors: [401],
    handle: ({ params, body, actor }) => Promise.resolve({ id: params.id, by: actor, ...body }),
  });
  defineRoute(context, {
    method: 'get',
    path: '/away',
    operationId: 'Away',
    summary: 'A handler that answers by itself',
    tag: 'Test',
    policy: 'public',
    success: { status: 302, description: 'elsewhere' },
    otherResponses: { 303: { description: 'elsewhere, after a change' } },
    errors: [],
    handle: ({ res }) => {
      res.redirect(303, '/elsewhere');
      return Promise.resolve(undefined);
    },
  });
  const { app } = createHttpApp({ name: 'route-test' });
  app.use(router);
  finishHttpApp(app);
  return { app, seen, registry: context.registry };
}

describe("kit's defineRoute", () => {
  it('when a body without an envelope is blank, then 422 names the field, after the policy and the middleware ran', async () => {
    const { app, seen } = buildApp();
    const res = await request(app).post('/login').send({}).expect(422);
    expect(res.body.errors).toEqual({ email: ["can't be blank"] });
    expect(seen).toEqual(['policy public', 'middleware']);
  });

  it('when the body is valid, then the handler sees it and its headers reach the client', async () => {
    const { app, seen } = buildApp();
    const res = await request(app).post('/login').send({ email: 'a@b.c', extra: 1 }).expect(200);
    expect(res.body).toEqual({ email: 'a@b.c' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(seen).toEqual(['policy public', 'middleware', 'handler']);
  });

  it('when an enveloped body is wrong, then the field inside the envelope is named', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .put('/notes/7')
      .set('x-user', 'ann')
      .send({ note: { text: '' } })
      .expect(422);
    expect(res.body.errors).toEqual({ text: ["can't be blank"] });
  });

  it('when the call is valid, then the handler gets the coerced params, the body and the actor', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .put('/notes/7')
      .set('x-user', 'ann')
      .send({ note: { text: 'hi' } })
      .expect(200);
    expect(res.body).toEqual({ id: 7, by: { name: 'ann' }, text: 'hi' });
  });

  it('when the policy refuses, then neither validation nor the handler runs', async () => {
    const { app } = buildApp();
    const res = await request(app).put('/notes/7').send({}).expect(401);
    expect(res.body.errors).toEqual({ token: ['is missing'] });
  });

  it('when the handler answers by itself, then its answer stands', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/away').expect(303);
    expect(res.headers.location).toBe('/elsewhere');
  });

  it('when the handler returns a JsonResponse, then its text and ETag are sent as is, and a matching If-None-Match gets 304', async () => {
    const router = Router();
    const context: RouteContext<Actor, Policy> = {
      router,
      registry: createRouteRegistry(),
      routePolicy: () => (_req, _res, next) => next(),
      actorOf: () => null,
    };
    // Deliberately not JSON.stringify's spacing: proof the text is not re-serialised.
    const text = '{"note": {"id": 7, "text": "ünïcode ✓"}}';
    defineRoute(context, {
      method: 'get',
      path: '/ready',
      operationId: 'Ready',
      summary: 'A body serialised beforehand',
      tag: 'Test',
      policy: 'public',
      success: { status: 200, description: 'ok' },
      errors: [],
      handle: () => Promise.resolve(jsonResponse(text)),
    });
    const { app } = createHttpApp({ name: 'route-test-json' });
    app.use(router);
    finishHttpApp(app);

    const res = await request(app).get('/ready').expect(200);
    expect(res.text).toBe(text);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.etag).toBe(weakEtag(text));
    const again = await request(app).get('/ready').set('If-None-Match', weakEtag(text)).expect(304);
    expect(again.text).toBe('');
    expect(again.headers['content-type']).toBeUndefined();
    const head = await request(app).head('/ready').expect(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(text)));
  });

  it('when the document is generated, then each route is an operation with its body, security and responses', () => {
    const { registry } = buildApp();
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'test', version: '0' },
    });
    const login = doc.paths?.['/login']?.post;
    expect(login?.security).toBeUndefined();
    expect(Object.keys(login?.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '413', '422', '429'].sort(),
    );
    expect(login?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { email: { type: 'string' } } } } },
    });
    const save = doc.paths?.['/notes/{id}']?.put;
    expect(save?.security).toEqual([{ Token: [] }]);
    expect(save?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { note: expect.any(Object) } } } },
    });
    expect(Object.keys(doc.paths?.['/away']?.get?.responses ?? {}).sort()).toEqual([
      '302',
      '303',
      '429',
    ]);
  });
});

import { createArticle, registerUser, useApi, type TestUser } from './helpers';

/**
 * Every documented operation, attacked with the same list of bad inputs: the answer must be a
 * 4xx in the one error shape, never a 500. The operations come from the OpenAPI document, so
 * a new route is covered the day it is added.
 */
const t = useApi('badinput');
let user: TestUser;
let slug: string;
beforeAll(async () => {
  user = await registerUser(t, 'fuzz');
  slug = (await createArticle(t, user)).slug;
});

type Method = 'get' | 'post' | 'put' | 'delete';
const operations = () =>
  Object.entries(t.api.document.paths ?? {})
    .filter(([path]) => path.startsWith('/api/') && path !== '/api/openapi.json')
    .flatMap(([path, item]) =>
      (
        Object.entries(item as object) as [
          Method,
          { requestBody?: unknown; security?: Record<string, string[]>[] },
        ][]
      ).map(([method, operation]) => ({
        method,
        path,
        takesBody: operation.requestBody !== undefined,
        // Required auth = a security list without the empty "or no credentials" entry.
        requiresAuth:
          operation.security !== undefined &&
          !operation.security.some((entry) => Object.keys(entry).length === 0),
      })),
    );

const PARAM_VALUES = [
  'does-not-exist',
  '%00',
  'x'.repeat(1_000),
  '%E0%A4%A',
  "' OR 1=1 --",
  '..%2F..%2Fetc%2Fpasswd',
];
const BODIES: [string, string][] = [
  ['malformed JSON', '{"user": {'],
  ['a JSON array', '[1, 2]'],
  ['a JSON string', '"hello"'],
  ['null envelopes', '{"user": null, "article": null, "comment": null}'],
  [
    'wrong types',
    '{"user": {"email": 1, "password": [], "username": {}}, "article": {"title": 1, "tagList": "x"}, "comment": {"body": false}}',
  ],
  [
    'NUL characters',
    '{"user": {"email": "a\\u0000@b.co", "password": "x\\u0000yyyyyyy", "username": "a\\u0000", "bio": "\\u0000", "image": "http://x/\\u0000"}, "article": {"title": "\\u0000", "description": "d", "body": "b", "tagList": ["\\u0000"]}, "comment": {"body": "\\u0000"}}',
  ],
  [
    'oversized strings',
    JSON.stringify({
      user: {
        username: 'u'.repeat(5_000),
        email: `${'e'.repeat(5_000)}@x.io`,
        password: 'p'.repeat(5_000),
        bio: 'b'.repeat(50_000),
      },
      article: { title: 't'.repeat(5_000), description: 'd', body: 'b' },
      comment: { body: 'c'.repeat(50_000) },
    }),
  ],
];
const QUERIES = [
  'limit=abc',
  'limit=0',
  'offset=-1',
  'limit=999999999999',
  'tag=%00',
  'author=%00',
  'tag[]=a',
  'favorited[x]=y',
];

function expectErrorShape(res: { status: number; body: unknown }, label: string) {
  expect({ label, status: res.status }).toEqual({ label, status: expect.any(Number) });
  if (res.status >= 500) throw new Error(`${label} → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400) {
    const errors = (res.body as { errors?: Record<string, unknown> }).errors;
    expect(errors).toBeDefined();
    for (const messages of Object.values(errors ?? {})) {
      expect(Array.isArray(messages) && messages.every((m) => typeof m === 'string')).toBe(true);
    }
  }
}

describe('bad input on every endpoint', () => {
  it('when path parameters are unknown, NUL, huge, badly encoded or hostile, then 4xx in the error shape', async () => {
    for (const { method, path } of operations()) {
      if (!path.includes('{')) continue;
      for (const value of PARAM_VALUES) {
        const url = path
          .replace('{slug}', value)
          .replace('{username}', value)
          .replace('{id}', value);
        const res = await t
          .call(method, url)
          .set(user.auth)
          .send({ article: { body: 'x' }, comment: { body: 'x' } });
        expectErrorShape(res, `${method} ${url.slice(0, 60)}`);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('when the body is malformed, the wrong type, NUL-laden or oversized, then 4xx in the error shape', async () => {
    for (const { method, path, takesBody } of operations()) {
      // Routes without a request body (favorite, follow) ignore one; the others must refuse it.
      if (!takesBody) continue;
      const url = path.replace('{slug}', slug).replace('{username}', user.username);
      for (const [label, body] of BODIES) {
        const res = await t
          .call(method, url)
          .set(user.auth)
          .set('Content-Type', 'application/json')
          .send(body);
        expectErrorShape(res, `${method} ${path} with ${label}`);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('when the query string is garbage, then 4xx in the error shape (or 200 where the route takes no query)', async () => {
    for (const { method, path } of operations()) {
      if (method !== 'get') continue;
      const url = path.replace('{slug}', slug).replace('{username}', user.username);
      for (const query of QUERIES) {
        const res = await t.http().get(`${url}?${query}`).set(user.auth);
        expectErrorShape(res, `GET ${url}?${query}`);
      }
    }
    const list = await t.http().get('/api/articles?limit=abc').expect(422);
    expect(list.body).toMatchObject({ errors: { limit: ['must be a whole number'] } });
  });

  it('when the Authorization header is malformed, then 401 {"token":["is invalid"]} where auth is required, and never on the others', async () => {
    const required = operations().filter((operation) => operation.requiresAuth);
    const others = operations().filter((operation) => !operation.requiresAuth);
    expect(required.length).toBeGreaterThan(5);
    expect(others.length).toBeGreaterThan(5);
    for (const { method, path } of others) {
      const url = path
        .replace('{slug}', slug)
        .replace('{username}', user.username)
        .replace('{id}', '1');
      const res = await t.http()[method](url).set('Authorization', 'Token a.b.c');
      expect({ url, status: res.status }).not.toEqual({ url, status: 401 });
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    for (const { method, path } of required) {
      const url = path
        .replace('{slug}', slug)
        .replace('{username}', user.username)
        .replace('{id}', '1');
      for (const header of [
        'Token',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        `Token ${'a'.repeat(5_000)}`,
        'Token a.b.c',
      ]) {
        const res = await t.http()[method](url).set('Authorization', header);
        expect({ url, header: header.slice(0, 20), status: res.status }).toEqual({
          url,
          header: header.slice(0, 20),
          status: 401,
        });
        expect(res.body).toMatchObject({ errors: { token: ['is invalid'] } });
      }
    }
  });

  it('when the body is not JSON at all, then the envelope is reported missing', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(422);
    expect(res.body).toMatchObject({ errors: { body: ["can't be blank"] } });
  });

  it('when a URL is badly percent-encoded, then 400 naming url', async () => {
    const res = await t.http().get('/api/articles/%E0%A4%A').expect(400);
    expect(res.body).toMatchObject({ errors: { url: ['is not valid percent-encoding'] } });
  });
});

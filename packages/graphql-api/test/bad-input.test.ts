import { createPool } from '@roadmap/data-sql';
import { awayFromWindowEdge } from '@roadmap/kit/testing';
import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { buildApp } from '../src/app';
import { registerUser, startApi, type TestApi } from './helpers';

/**
 * Every kind of bad request gets a GraphQL error body with the status the GraphQL-over-HTTP
 * spec gives it (400 for a document that cannot run, 413 for a body too large, 200 for a field
 * error) — never a 5xx, never a stack trace.
 */
let t: TestApi;
let production: TestApi;

beforeAll(async () => {
  t = await startApi('bad_input');
  production = await startApi('bad_input_prod', {
    sharing: t,
    config: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: false },
  });
});
afterAll(async () => {
  await production.stop();
  await t.stop();
});

/** Every error message of a response, one per line. */
const messages = (body: { errors: { message: string }[] }) =>
  body.errors.map((e) => e.message).join('\n');

function expectCleanError(body: {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}) {
  expect(body.errors?.length).toBeGreaterThan(0);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/stacktrace|\bat [\w.<>]+ \(/);
  expect(text).not.toMatch(/SELECT|INSERT|relation "/);
}

describe('bad input', () => {
  it('when the query has a syntax error, then 400 GRAPHQL_PARSE_FAILED', async () => {
    const res = await t.gql('{ articles { edges ').expect(400);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('when the query asks for an unknown field, then 400 GRAPHQL_VALIDATION_FAILED naming it', async () => {
    const res = await t.gql('{ tags password }').expect(400);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/password/);
  });

  it('when a variable has the wrong type, then 400 BAD_USER_INPUT naming the variable', async () => {
    const res = await t
      .gql('query ($first: Int) { articles(first: $first) { totalCount } }', { first: 'many' })
      .expect(400);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/\$first/);
  });

  it('when the query is 100 levels deep, then 400 and the depth limit says so', async () => {
    let selection = 'name';
    for (let i = 0; i < 50; i++) selection = `type { fields { ${selection} } }`;
    const res = await t.gql(`{ __schema { types { fields { ${selection} } } } }`).expect(400);
    expectCleanError(res.body);
    expect(messages(res.body)).toMatch(/depth limit of 25 exceeded/i);
  });

  it('when the query has 1,000 aliases, then 400 and the alias limit says so', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: tags`).join(' ');
    const res = await t.gql(`{ ${aliases} }`).expect(400);
    expectCleanError(res.body);
    expect(messages(res.body)).toMatch(/aliases limit of 30 exceeded/i);
  });

  it('when the body is 1 MB, then 413 with a GraphQL error before anything is parsed', async () => {
    const query = `{ tags ${' '.repeat(1024 * 1024)} }`;
    const res = await t.gql(query).expect(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a query has more tokens than allowed, then 400 and nothing runs', async () => {
    const res = await t.gql(`{ tags ${'__typename '.repeat(6000)} }`).expect(400);
    expectCleanError(res.body);
    expect(res.body.errors[0].message).toMatch(/token limit/i);
  });

  it('when the JSON body is malformed, then 400 BAD_REQUEST in the GraphQL shape', async () => {
    const res = await request(t.api.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send('{"query": "{ tags }"')
      .expect(400);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('when an introspection query reaches production, then 400 and no schema is revealed', async () => {
    const res = await production.gql(getIntrospectionQuery()).expect(400);
    expectCleanError(res.body);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].message).toMatch(/introspection/i);
  });

  it('when the standard introspection query runs in development, then it passes every limit', async () => {
    const res = await t.gql(getIntrospectionQuery()).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.name).toBe('Query');
  });

  it('when a field name is mistyped in production, then no "did you mean" hint leaks the schema', async () => {
    const res = await production.gql('{ artcles { totalCount } }').expect(400);
    expect(res.body.errors[0].message).not.toMatch(/did you mean/i);
    const dev = await t.gql('{ artcles { totalCount } }').expect(400);
    expect(dev.body.errors[0].message).toMatch(/did you mean "articles"/i);
  });

  it('when a mutation comes without a token, then 200 with UNAUTHENTICATED and data null', async () => {
    const res = await t.gql('mutation { follow(username: "nobody") { following } }').expect(200);
    expectCleanError(res.body);
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      path: ['follow'],
      extensions: { code: 'UNAUTHENTICATED', field: 'token' },
    });
  });

  it('when a simple cross-site form POST arrives, then CSRF prevention refuses it with 400', async () => {
    const res = await request(t.api.app)
      .post('/graphql')
      .set('content-type', 'text/plain')
      .send('{"query":"mutation { follow(username: \\"x\\") { following } }"}')
      .expect(400);
    expect(res.text).toMatch(/CSRF|preflight/i);
  });

  it('when two operations are batched in one request, then 400: batching is off', async () => {
    const res = await request(t.api.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ tags }' }, { query: '{ tags }' }])
      .expect(400);
    expect(res.text).toMatch(/batch/i);
  });

  it('when a database error happens in production, then the client sees no SQL', async () => {
    const user = await registerUser(production);
    // An id beyond PostgreSQL's integer is refused by the service before SQL (not found);
    // a slug of 10,000 characters runs a real query and must still fail cleanly.
    const res = await production
      .gql(`{ article(slug: "${'x'.repeat(10_000)}") { slug } }`, {}, user.token)
      .expect(200);
    expectCleanError(res.body);
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('configurable limits', () => {
  let strict: TestApi;
  beforeAll(async () => {
    strict = await startApi('strict', {
      sharing: t,
      config: { GRAPHQL_MAX_COST: 10, GRAPHQL_MAX_DIRECTIVES: 2 },
    });
  });
  afterAll(async () => {
    await strict.stop();
  });

  it('when an operation costs more than GRAPHQL_MAX_COST, then 400 and the cost limit says so', async () => {
    const res = await strict
      .gql(
        '{ articles { edges { node { slug title body tagList author { username bio image following } } } } }',
      )
      .expect(400);
    expectCleanError(res.body);
    expect(messages(res.body)).toMatch(/cost limit of 10 exceeded/i);
    await strict.gql('{ tags }').expect(200);
  });

  it('when an operation has more directives than GRAPHQL_MAX_DIRECTIVES, then 400', async () => {
    const res = await strict
      .gql('{ tags @include(if: true) @skip(if: false) @include(if: true) }')
      .expect(400);
    expectCleanError(res.body);
    expect(messages(res.body)).toMatch(/directives limit of 2 exceeded/i);
  });

  it('when a browser opens /graphql in production, then no landing page is served', async () => {
    const dev = await t.http().get('/graphql').set('accept', 'text/html').expect(200);
    expect(dev.headers['content-type']).toMatch(/text\/html/);
    const prod = await production.http().get('/graphql').set('accept', 'text/html');
    expect(prod.headers['content-type'] ?? '').not.toMatch(/text\/html/);
    expect(prod.status).toBeLessThan(500);
  });
});

describe('rate limit shared with REST', () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startApi('rate', {
      sharing: t,
      config: { RATE_LIMIT_MAX: 2, RATE_LIMIT_WINDOW_SECONDS: 60, RATE_LIMIT_EXEMPT: [] },
    });
  });
  afterAll(async () => {
    await limited.stop();
  });

  it('when a client exceeds the allowance, then 429 RATE_LIMITED with Retry-After, counted in the REST key space', async () => {
    // All three requests in one window (a fixed window's edge restarts the count).
    await awayFromWindowEdge(60);
    await limited.gql('{ tags }').expect(200);
    await limited.gql('{ tags }').expect(200);
    const res = await limited.gql('{ tags }').expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // The REST API's key: ratelimit:<address>:<window number> (here under the test's prefix).
    const keys = await limited.redis.redis.keys(`${limited.redis.prefix}ratelimit:*`);
    expect(keys.map((key) => key.slice(limited.redis.prefix.length))).toEqual([
      expect.stringMatching(/^ratelimit:.+:\d+$/),
    ]);
  });
});

describe('a lost database', () => {
  it('when PostgreSQL does not answer, then 503 SERVICE_UNAVAILABLE with Retry-After, not a hang or a 500', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:1/nothing', {
      connectionTimeoutMs: 500,
    });
    const api = await buildApp({
      pool,
      redis: t.redis.redis,
      auth: t.auth,
      channelPrefix: `${t.redis.prefix}down:`,
    });
    try {
      const res = await request(api.app)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: '{ articles { totalCount } }' })
        .expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.errors[0]).toMatchObject({
        message: 'database unavailable',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await api.close();
      await pool.end();
    }
  });
});

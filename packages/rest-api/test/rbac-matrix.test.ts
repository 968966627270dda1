import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { authConfigShape, permissionsOf, type Role } from '@roadmap/auth';
import { createAuth, declaredPolicy, type Auth, type RoutePolicy } from '@roadmap/auth/express';
import { findUserById, insertUser } from '@roadmap/data-sql';
import { loadConfig } from '@roadmap/kit';
import { type RestApp } from '../src/app';
import { startApi, type TestApi } from './helpers';

/**
 * The route × role matrix, built from the REST app's own router.
 *
 * 1. Walk every router of the app; each route must carry a routePolicy() middleware. A route
 *    without one fails the test — the point: a new endpoint cannot ship without saying who may
 *    call it.
 * 2. Call every route as anonymous, user, editor and admin, and check the answer against the
 *    policy module: 401 without identity, 403 without the permission, and neither (and never a
 *    5xx) when allowed. Path parameters are dummies, so an allowed call ends in 404/422 at worst.
 */

/** Routes that are deliberately outside RBAC, each with its reason. Stale entries fail too. */
const INFRASTRUCTURE: Record<string, string> = {
  'GET /healthz': "kit's liveness probe, for the orchestrator",
  'GET /readyz': "kit's readiness probe, for the load balancer",
  'GET /metrics': "kit's Prometheus endpoint, for private addresses only (METRICS_ALLOW)",
  'GET /api/openapi.json': 'the public API description',
  'GET /': 'the index a browser lands on (links to the docs)',
};

interface RouteLayer {
  route?: { path: string | string[]; stack: { method?: string; handle: unknown }[] };
  handle: { stack?: RouteLayer[] };
  rawPath?: unknown;
  slash?: boolean;
}
interface FoundRoute {
  key: string;
  method: string;
  path: string;
  policy: RoutePolicy | undefined;
}

function collect(stack: RouteLayer[], prefix = ''): FoundRoute[] {
  const found: FoundRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const policy = layer.route.stack
        .map((s) => declaredPolicy(s.handle))
        .find((p) => p !== undefined);
      const methods = [
        ...new Set(layer.route.stack.map((s) => s.method).filter((m): m is string => !!m)),
      ];
      for (const routePath of ([] as string[]).concat(layer.route.path)) {
        for (const method of methods) {
          const path = prefix + routePath;
          found.push({ key: `${method.toUpperCase()} ${path}`, method, path, policy });
        }
      }
    } else if (Array.isArray(layer.handle.stack)) {
      // A mounted router: we can only name its routes if it is mounted at the root.
      if (!layer.slash && layer.rawPath !== '/')
        throw new Error(`router mounted at ${String(layer.rawPath)}: teach collect() its prefix`);
      found.push(...collect(layer.handle.stack, prefix));
    }
  }
  return found;
}

let t: TestApi;
let auth: Auth;
let api: RestApp;
let routes: FoundRoute[];
const tokens: Partial<Record<Role | 'otherUser', string>> = {};
/** The user behind each role's token, to sign a new one after "log out everywhere". */
const userIds: Partial<Record<Role, number>> = {};
const ROLE_LIST: Role[] = ['user', 'editor', 'admin'];

beforeAll(async () => {
  t = await startApi(
    'rbac_matrix',
    { RATE_LIMIT_MAX: 1_000_000 },
    {
      auth: (clients) => {
        auth = createAuth({
          ...clients,
          // Why an OAuth provider: its routes exist only when one is configured, and the matrix
          // must cover them. Nothing here talks to it (the flow itself is tested in @roadmap/auth).
          config: loadConfig(authConfigShape, {
            NODE_ENV: 'test',
            OAUTH_PROVIDER: 'github',
            OAUTH_AUTHORIZATION_URL: 'https://oauth.invalid/authorize',
            OAUTH_TOKEN_URL: 'https://oauth.invalid/token',
            OAUTH_USERINFO_URL: 'https://oauth.invalid/userinfo',
            OAUTH_CLIENT_ID: 'rbac-matrix',
            OAUTH_CLIENT_SECRET: 'rbac-matrix-secret',
            OAUTH_CALLBACK_URL: 'http://localhost:3000/auth/oauth/github/callback',
          }),
        });
        return auth;
      },
    },
  );
  api = t.api;
  routes = collect((api.app.router as unknown as { stack: RouteLayer[] }).stack);
  for (const role of ROLE_LIST) {
    const id = randomBytes(4).toString('hex');
    const user = await insertUser(t.db.pool, {
      email: `${role}-${id}@example.com`,
      username: `${role}_${id}`,
      passwordHash: null,
      role,
    });
    tokens[role] = (await auth.issueTokens(user)).accessToken;
    userIds[role] = user.id;
  }
  const other = await insertUser(t.db.pool, {
    email: `other-${randomBytes(4).toString('hex')}@example.com`,
    username: `other_${randomBytes(4).toString('hex')}`,
    passwordHash: null,
  });
  tokens.otherUser = (await auth.issueTokens(other)).accessToken;
});
afterAll(async () => {
  await t?.stop();
});

test('when the routers are walked, then every route declares a policy (or is listed infrastructure)', () => {
  expect(routes.length).toBeGreaterThan(15);
  const undeclared = routes
    .filter((r) => r.policy === undefined && !(r.key in INFRASTRUCTURE))
    .map((r) => r.key);
  expect(undeclared).toEqual([]);
  const stale = Object.keys(INFRASTRUCTURE).filter((key) => !routes.some((r) => r.key === key));
  expect(stale).toEqual([]);
  // The auth endpoints are part of the matrix too.
  expect(routes.map((r) => r.key)).toEqual(
    expect.arrayContaining([
      'POST /api/auth/refresh',
      'POST /auth/session/login',
      'GET /auth/oauth/github',
      'GET /auth/oauth/github/callback',
      'GET /api/admin/users',
      'PUT /api/admin/users/:username/role',
    ]),
  );
});

type Who = 'anonymous' | Role;
function expected(policy: RoutePolicy, who: Who): 'allowed' | 401 | 403 {
  if (policy === 'public') return 'allowed';
  if (who === 'anonymous') return 401;
  if (policy === 'authenticated') return 'allowed';
  return permissionsOf(who)[policy] ? 'allowed' : 403;
}

test('when every declared route is called by every role, then the answers match the policy module', async () => {
  const matrix: Record<string, Record<Who, number>> = {};
  const mismatches: string[] = [];
  for (const route of routes.filter((r) => r.policy !== undefined)) {
    const path = route.path.replace(/:(\w+)/g, 'matrix-probe');
    for (const who of ['anonymous', ...ROLE_LIST] as Who[]) {
      const method = route.method as 'get' | 'post' | 'put' | 'delete';
      let req = request(api.app)[method](path).set('Origin', 'http://localhost:3000');
      if (who !== 'anonymous') req = req.set('Authorization', `Token ${tokens[who]}`);
      const res =
        route.method === 'get' || route.method === 'head' ? await req : await req.send({});
      (matrix[route.key] ??= {} as Record<Who, number>)[who] = res.status;
      if (route.key === 'POST /api/auth/logout-all' && who !== 'anonymous') {
        // It did its job: every token of that user is refused now. Sign in again for the rest.
        tokens[who] = (
          await auth.issueTokens((await findUserById(t.db.pool, userIds[who]!))!)
        ).accessToken;
      }
      const want = expected(route.policy!, who);
      const errors = (res.body as { errors?: Record<string, string[]> }).errors ?? {};
      const ok =
        want === 'allowed'
          ? res.status !== 401 && res.status !== 403 && res.status < 500
          : want === 401
            ? res.status === 401 &&
              JSON.stringify(errors) === JSON.stringify({ token: ['is missing'] })
            : res.status === 403 && Object.values(errors).flat().includes('forbidden');
      if (!ok)
        mismatches.push(
          `${route.key} as ${who} (${route.policy}): want ${want}, got ${res.status} ${JSON.stringify(res.body)}`,
        );
    }
  }
  if (process.env.RBAC_MATRIX_PRINT) process.stdout.write(`${JSON.stringify(matrix, null, 1)}\n`);
  expect(mismatches).toEqual([]);
});

describe('ownership (the second half of each permission, checked by the services)', () => {
  const as = (who: keyof typeof tokens) => `Token ${tokens[who]}`;
  async function articleBy(who: keyof typeof tokens): Promise<string> {
    const res = await request(api.app)
      .post('/api/articles')
      .set('Authorization', as(who))
      .send({
        article: {
          title: `Owned ${randomBytes(4).toString('hex')}`,
          description: 'd',
          body: 'b',
          tagList: [],
        },
      })
      .expect(201);
    return (res.body as { article: { slug: string } }).article.slug;
  }
  async function commentBy(who: keyof typeof tokens, slug: string): Promise<number> {
    const res = await request(api.app)
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', as(who))
      .send({ comment: { body: 'hi' } })
      .expect(201);
    return (res.body as { comment: { id: number } }).comment.id;
  }

  test("when a user edits or deletes someone else's article, then 403; the author and an editor may", async () => {
    const slug = await articleBy('user');
    const update = { article: { description: 'changed' } };
    const denied = await request(api.app)
      .put(`/api/articles/${slug}`)
      .set('Authorization', as('otherUser'))
      .send(update)
      .expect(403);
    expect(Object.values(denied.body.errors as Record<string, string[]>).flat()).toContain(
      'forbidden',
    );
    await request(api.app)
      .delete(`/api/articles/${slug}`)
      .set('Authorization', as('otherUser'))
      .expect(403);
    await request(api.app)
      .put(`/api/articles/${slug}`)
      .set('Authorization', as('user'))
      .send(update)
      .expect(200);
    const moderated = await request(api.app)
      .put(`/api/articles/${slug}`)
      .set('Authorization', as('editor'))
      .send({ article: { description: 'moderated' } })
      .expect(200);
    expect((moderated.body as { article: { description: string } }).article.description).toBe(
      'moderated',
    );
    await request(api.app)
      .delete(`/api/articles/${slug}`)
      .set('Authorization', as('editor'))
      .expect(204);
    await request(api.app).get(`/api/articles/${slug}`).expect(404);
  });

  test("when a user deletes someone else's comment, then 403; the comment's author and an admin may", async () => {
    const slug = await articleBy('user');
    const first = await commentBy('otherUser', slug);
    const second = await commentBy('otherUser', slug);
    await request(api.app)
      .delete(`/api/articles/${slug}/comments/${first}`)
      .set('Authorization', as('user'))
      .expect(403);
    await request(api.app)
      .delete(`/api/articles/${slug}/comments/${first}`)
      .set('Authorization', as('otherUser'))
      .expect(204);
    await request(api.app)
      .delete(`/api/articles/${slug}/comments/${second}`)
      .set('Authorization', as('admin'))
      .expect(204);
    const left = await request(api.app).get(`/api/articles/${slug}/comments`).expect(200);
    expect((left.body as { comments: unknown[] }).comments).toEqual([]);
  });
});

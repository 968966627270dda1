import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { authConfigShape } from '@roadmap/auth';
import { createAuth, type Auth } from '@roadmap/auth/express';
import { loadConfig } from '@roadmap/kit';
import type { Router } from 'express';
import { useApi } from './helpers';

let auth: Auth;
const t = useApi(
  'openapi',
  {},
  {
    // With an OAuth provider, so its two routes are compared too (nothing here talks to it).
    auth: (clients) =>
      (auth = createAuth({
        ...clients,
        config: loadConfig(authConfigShape, {
          NODE_ENV: 'test',
          OAUTH_PROVIDER: 'github',
          OAUTH_AUTHORIZATION_URL: 'https://oauth.invalid/authorize',
          OAUTH_TOKEN_URL: 'https://oauth.invalid/token',
          OAUTH_USERINFO_URL: 'https://oauth.invalid/userinfo',
          OAUTH_CLIENT_ID: 'openapi-test',
          OAUTH_CLIENT_SECRET: 'openapi-test-secret',
          OAUTH_CALLBACK_URL: 'http://localhost:3000/auth/oauth/github/callback',
        }),
      })),
  },
);

/** The parts of Express 5's router internals this test reads. */
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  slash: boolean;
  name: string;
}

/**
 * Every route Express will answer, as "METHOD /path", found by walking the router tree. A router
 * mounted under a prefix would hide its prefix from this walk, so that is reported too.
 */
function expressRoutes(
  stack: Layer[],
  found = new Set<string>(),
  problems: string[] = [],
): { found: Set<string>; problems: string[] } {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        if (method !== '_all')
          found.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      }
    } else if (layer.handle.stack) {
      if (!layer.slash)
        problems.push(
          `router "${layer.name}" is mounted under a path prefix; mount routers at the root`,
        );
      expressRoutes(layer.handle.stack, found, problems);
    }
  }
  return { found, problems };
}

/** Every operation of an OpenAPI document's paths, as "METHOD /path", sorted. */
function operationsOf(paths: object | undefined): string[] {
  return Object.entries(paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

function stackOf(router: Router): Layer[] {
  return (router as unknown as { stack: Layer[] }).stack;
}

describe('the OpenAPI document', () => {
  it('when compared with every route of the whole app (auth router included), then each lists exactly the other', () => {
    const app = t.api.app as unknown as { router: Router };
    const { found, problems } = expressRoutes(stackOf(app.router));
    // Only the operational routes (probes; /metrics, Prometheus text for private addresses),
    // the / index and Swagger UI stay out of the comparison.
    const outside = (route: string) =>
      route === 'GET /' ||
      /^[A-Z]+ (\/healthz|\/readyz|\/metrics|\/api\/openapi\.json|\/docs)(\/|$)/.test(route);
    const served = [...found].filter((route) => !outside(route)).sort();

    const documented = operationsOf(t.api.document.paths).filter((route) => !outside(route));

    expect(problems).toEqual([]);
    // The auth router's routes are part of the walk, not set aside.
    for (const route of expressRoutes(stackOf(t.api.authRouter)).found)
      expect(served).toContain(route);
    expect(served).toEqual(documented);
  });

  it("when auth's router is compared with the operations auth declared, then each lists exactly the other (OAuth included)", () => {
    const served = [...expressRoutes(stackOf(auth.router)).found].sort();
    // Auth's registry on its own: what its defineRoute() calls declared, nothing of rest-api's.
    const declared = new OpenApiGeneratorV31(auth.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'auth', version: '0' },
    });
    expect(served).toEqual(operationsOf(declared.paths));
    expect(served).toEqual(
      expect.arrayContaining(['GET /auth/oauth/github', 'GET /auth/oauth/github/callback']),
    );
  });

  it('when the auth routes are listed, then they carry the tags "Auth" and "Admin"', () => {
    const tagsOf = (path: string, method: string) =>
      (t.api.document.paths?.[path] as Record<string, { tags?: string[] }> | undefined)?.[method]
        ?.tags;
    expect(tagsOf('/api/auth/login', 'post')).toEqual(['Auth']);
    expect(tagsOf('/api/auth/refresh', 'post')).toEqual(['Auth']);
    expect(tagsOf('/auth/session/login', 'post')).toEqual(['Auth']);
    expect(tagsOf('/.well-known/jwks.json', 'get')).toEqual(['Auth']);
    expect(tagsOf('/api/admin/users', 'get')).toEqual(['Admin']);
    expect(tagsOf('/api/admin/users/{username}/role', 'put')).toEqual(['Admin']);
  });

  it("when its operations are listed, then they are exactly the RealWorld spec's, under /api", () => {
    const operations = Object.entries(t.api.document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string; tags?: string[] }>)
        .filter(([, op]) => !op.tags?.some((tag) => ['Auth', 'Admin', 'Operations'].includes(tag)))
        .map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`),
    );
    // The operationIds and paths of specs/api/openapi.yml (its server URL ends in /api).
    const realWorld = [
      'Login POST /api/users/login',
      'CreateUser POST /api/users',
      'GetCurrentUser GET /api/user',
      'UpdateCurrentUser PUT /api/user',
      'GetProfileByUsername GET /api/profiles/{username}',
      'FollowUserByUsername POST /api/profiles/{username}/follow',
      'UnfollowUserByUsername DELETE /api/profiles/{username}/follow',
      'GetArticlesFeed GET /api/articles/feed',
      'GetArticles GET /api/articles',
      'CreateArticle POST /api/articles',
      'GetArticle GET /api/articles/{slug}',
      'UpdateArticle PUT /api/articles/{slug}',
      'DeleteArticle DELETE /api/articles/{slug}',
      'GetArticleComments GET /api/articles/{slug}/comments',
      'CreateArticleComment POST /api/articles/{slug}/comments',
      'DeleteArticleComment DELETE /api/articles/{slug}/comments/{id}',
      'CreateArticleFavorite POST /api/articles/{slug}/favorite',
      'DeleteArticleFavorite DELETE /api/articles/{slug}/favorite',
      'GetTags GET /api/tags',
    ];
    expect(
      operations.filter((op) => op.includes(' /api/') && !op.includes('openapi.json')).sort(),
    ).toEqual([...realWorld].sort());
  });

  it('when served at /api/openapi.json, then it is OpenAPI 3.1 with the Token scheme and the spec error model', async () => {
    const res = await t.http().get('/api/openapi.json').expect(200).expect('Content-Type', /json/);
    const doc = res.body as {
      openapi: string;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; security?: unknown }>
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.Token).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'User',
        'Profile',
        'Article',
        'Comment',
        'NewUser',
        'NewArticle',
        'UpdateArticle',
        'GenericErrorModel',
      ]),
    );
    expect(Object.keys(doc.paths['/api/articles/{slug}']?.put?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '422']),
    );
    expect(doc.paths['/api/users']?.post?.responses).toHaveProperty('201');
    expect(doc.paths['/api/articles/{slug}']?.delete?.responses).toHaveProperty('204');
    expect(doc.paths['/api/user']?.get?.security).toEqual([{ Token: [] }]);
  });

  it('when /docs is opened, then Swagger UI loads under the CSP helmet sets', async () => {
    const page = await t.http().get('/docs/').expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('swagger-ui');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    // Every script the page loads comes from our own origin, so the CSP allows it.
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      await t
        .http()
        .get(`/docs/${src.replace(/^\.\//, '')}`)
        .expect(200);
    }
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/);
  });
});

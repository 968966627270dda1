import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { loginBody, pageQuery, refreshBody, ROLES, setRoleBody } from '@roadmap/auth';
import { documented, ERROR_RESPONSES, genericErrorSchema, z, type ErrorStatus } from './openapi';

/**
 * The routes @roadmap/auth mounts in this app (its `router`), documented here so the one
 * OpenAPI document lists everything the app answers. Why not through defineRoute(): auth
 * declares its own Express routes; this file only describes them, with auth's own body schemas,
 * and test/openapi.test.ts fails if the two ever disagree.
 */
const publicUser = z
  .object({
    username: z.string(),
    email: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    role: z.enum(ROLES),
  })
  .openapi('AuthUser');
const tokenPair = z
  .object({
    user: publicUser,
    accessToken: z.string().openapi({ description: 'at+jwt, JWT_ACCESS_TTL_SECONDS (900 s)' }),
    refreshToken: z.string().openapi({ description: 'refresh+jwt, single use (rotated)' }),
    expiresIn: z.number().int().openapi({ description: 'Seconds until accessToken expires' }),
  })
  .openapi('TokenPair');
const sessionUser = z.object({ user: publicUser, csrfToken: z.string() });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

function errors(statuses: ErrorStatus[]): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const status of [...new Set<ErrorStatus>([...statuses, 429])].sort()) {
    const { description, example } = ERROR_RESPONSES[status];
    responses[status] = {
      description,
      content: { 'application/json': { schema: genericErrorSchema, example } },
    };
  }
  return responses;
}

const body = (schema: z.ZodType) => ({ body: { required: true, ...json(schema) } });

export function registerAuthOperations(
  registry: OpenAPIRegistry,
  options: { oauthProvider: string | null },
): void {
  const token = [{ Token: [] }];
  const operations: RouteConfig[] = [
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'Jwks',
      summary: 'Public keys that verify our access tokens (JWKS)',
      tags: ['Auth'],
      responses: {
        200: { description: 'The key set', ...json(z.object({ keys: z.array(z.object({})) })) },
        ...errors([]),
      },
    },
    {
      method: 'post',
      path: '/api/auth/login',
      operationId: 'AuthLogin',
      summary: 'Email + password → short access token + rotating refresh token',
      tags: ['Auth'],
      request: { ...body(documented(loginBody, 'AuthLogin')) },
      responses: {
        200: { description: 'A new login', ...json(tokenPair) },
        ...errors([400, 401, 413, 422]),
      },
    },
    {
      method: 'post',
      path: '/api/auth/refresh',
      operationId: 'AuthRefresh',
      summary: 'Exchange a refresh token (once) for a new pair; reuse revokes the family',
      tags: ['Auth'],
      request: { ...body(documented(refreshBody, 'AuthRefresh')) },
      responses: {
        200: { description: 'The rotated pair', ...json(tokenPair) },
        ...errors([400, 401, 413, 422]),
      },
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      operationId: 'AuthLogout',
      summary: 'End the login (refresh-token family) the token belongs to',
      tags: ['Auth'],
      request: { ...body(documented(refreshBody, 'AuthLogout')) },
      responses: { 204: { description: 'Logged out' }, ...errors([400, 401, 413, 422]) },
    },
    {
      method: 'post',
      path: '/api/auth/logout-all',
      operationId: 'AuthLogoutAll',
      summary:
        'Log out everywhere: every access token, refresh token and session issued so far is refused',
      tags: ['Auth'],
      security: token,
      responses: { 204: { description: 'Logged out everywhere' }, ...errors([401, 403]) },
    },
    {
      method: 'get',
      path: '/auth/session/csrf',
      operationId: 'SessionCsrf',
      summary: 'The CSRF token to send in x-csrf-token with session-authenticated changes',
      tags: ['Auth'],
      responses: {
        200: { description: 'The token', ...json(z.object({ csrfToken: z.string() })) },
        ...errors([]),
      },
    },
    {
      method: 'post',
      path: '/auth/session/login',
      operationId: 'SessionLogin',
      summary: 'Email + password → session cookie (same-origin browsers)',
      tags: ['Auth'],
      request: { ...body(documented(loginBody, 'SessionLogin')) },
      responses: {
        200: { description: 'Signed in; the cookie is set', ...json(sessionUser) },
        ...errors([400, 401, 403, 413, 422]),
      },
    },
    {
      method: 'get',
      path: '/auth/session/me',
      operationId: 'SessionMe',
      summary: 'Who is signed in (session cookie or token)',
      tags: ['Auth'],
      security: token,
      responses: {
        200: {
          description: 'The user, and the CSRF token of a session',
          ...json(z.object({ user: publicUser.nullable(), csrfToken: z.string().nullable() })),
        },
        ...errors([401]),
      },
    },
    {
      method: 'post',
      path: '/auth/session/logout',
      operationId: 'SessionLogout',
      summary: 'End the session',
      tags: ['Auth'],
      security: token,
      responses: { 204: { description: 'Signed out' }, ...errors([401, 403]) },
    },
    {
      method: 'get',
      path: '/api/admin/users',
      operationId: 'AdminListUsers',
      summary: 'Every user, paginated (admin)',
      tags: ['Admin'],
      security: token,
      request: { query: documented(pageQuery, 'AdminPage') },
      responses: {
        200: {
          description: 'A page of users',
          ...json(z.object({ users: z.array(publicUser), usersCount: z.number().int() })),
        },
        ...errors([401, 403, 422]),
      },
    },
    {
      method: 'put',
      path: '/api/admin/users/{username}/role',
      operationId: 'AdminSetRole',
      summary: "Change a user's role (admin)",
      tags: ['Admin'],
      security: token,
      request: {
        params: z.object({ username: z.string() }),
        ...body(documented(setRoleBody, 'SetRole')),
      },
      responses: {
        200: { description: 'The user with the new role', ...json(z.object({ user: publicUser })) },
        ...errors([400, 401, 403, 404, 413, 422]),
      },
    },
  ];
  if (options.oauthProvider) {
    const base = `/auth/oauth/${options.oauthProvider}`;
    operations.push(
      {
        method: 'get',
        path: base,
        operationId: 'OAuthStart',
        summary: 'Redirect to the OAuth provider (authorization code + state + PKCE)',
        tags: ['Auth'],
        responses: { 302: { description: "To the provider's consent page" }, ...errors([]) },
      },
      {
        method: 'get',
        path: `${base}/callback`,
        operationId: 'OAuthCallback',
        summary: 'The provider redirects back here; a session starts',
        tags: ['Auth'],
        responses: {
          200: { description: 'Signed in (no OAUTH_SUCCESS_REDIRECT)', ...json(sessionUser) },
          303: { description: 'Signed in; to OAUTH_SUCCESS_REDIRECT' },
          ...errors([401, 409]),
        },
      },
    );
  }
  for (const operation of operations) registry.registerPath(operation);
}

import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Why here, once: this adds `.openapi()` to every zod schema (names, examples, descriptions).
// Every file that declares routes imports this module first.
extendZodWithOpenApi(z);

export { z };

/**
 * `.openapi()` exists only on schemas created after extendZodWithOpenApi() ran (zod 4 attaches
 * methods per instance). The request schemas live in @roadmap/conduit, which knows nothing of
 * OpenAPI and may load first, so they are documented through a fresh copy: same rules.
 */
export function documented<T extends z.ZodType>(schema: T, nameOrMeta: string | OpenApiMeta): T {
  const copy = schema.clone();
  return typeof nameOrMeta === 'string'
    ? copy.openapi(nameOrMeta)
    : copy.openapi(nameOrMeta as never);
}
/** The JSON Schema keywords we set by hand (type, bounds, description, example, format). */
type OpenApiMeta = Record<string, unknown>;
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The error body of every 4xx/5xx, as the RealWorld spec names it. */
export const genericErrorSchema = z
  .object({
    errors: z.record(z.string(), z.array(z.string())),
    requestId: z
      .string()
      .optional()
      .openapi({ description: 'Echoes the x-request-id header; quote it in bug reports.' }),
  })
  .openapi('GenericErrorModel', { example: { errors: { title: ["can't be blank"] } } });

/** What each error status means on this API (the descriptions Swagger UI shows). */
export const ERROR_RESPONSES = {
  400: { description: 'Malformed JSON', example: { errors: { body: ['is not valid JSON'] } } },
  401: {
    description: 'Unauthorized: no token, or a bad one',
    example: { errors: { token: ['is missing'] } },
  },
  403: {
    description: 'Forbidden: the key names the resource',
    example: { errors: { article: ['forbidden'] } },
  },
  404: {
    description: 'Not found: the key names the resource',
    example: { errors: { article: ['not found'] } },
  },
  409: {
    description: 'Conflict: the resource already exists',
    example: { errors: { username: ['has already been taken'] } },
  },
  413: {
    description: 'Body larger than the configured limit',
    example: { errors: { body: ['is larger than 100kb'] } },
  },
  422: { description: 'Validation failed', example: { errors: { title: ["can't be blank"] } } },
  429: {
    description: 'Rate limited; see Retry-After',
    example: { errors: { request: ['too many requests, retry in 30s'] } },
  },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('GenericErrorModel', genericErrorSchema);
  registry.registerComponent('securitySchemes', 'Token', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Send `Token <jwt>` (RealWorld) or `Bearer <jwt>`; the jwt comes from POST /api/users or /api/users/login.',
  });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'RealWorld Conduit API (roadmap-backend)',
      version: '2.0.0',
      description:
        'The RealWorld API spec (specs/api/openapi.yml of realworld-apps/realworld), generated from the zod schemas that validate every request.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/' }],
  });
}

/** Express writes `/articles/:slug`; OpenAPI writes `/articles/{slug}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The routes kit and this package add around the API: documented like the rest. */
export function registerOperations(registry: OpenAPIRegistry): void {
  const health = z.object({ status: z.string() }).openapi('Health');
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'Liveness',
    summary: 'Liveness: the process answers',
    tags: ['Operations'],
    responses: {
      200: { description: 'Alive', content: { 'application/json': { schema: health } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'Readiness',
    summary: 'Readiness: PostgreSQL and Redis answer',
    tags: ['Operations'],
    responses: {
      200: {
        description: 'Ready',
        content: { 'application/json': { schema: health.passthrough() } },
      },
      503: {
        description: 'A dependency is down (named in the body)',
        content: { 'application/json': { schema: health.passthrough() } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'OpenApiDocument',
    summary: 'This document',
    tags: ['Operations'],
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        content: { 'application/json': { schema: z.object({}).passthrough() } },
      },
    },
  });
}

import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createRouteRegistry, z } from '@roadmap/kit/express';

// The zod that knows `.openapi()`, and the pieces every route declaration shares, are kit's
// (@roadmap/kit/express), so auth's routes and ours are declared and documented alike.
export {
  z,
  documented,
  ERROR_RESPONSES,
  genericErrorSchema,
  toOpenApiPath,
  type ErrorStatus,
} from '@roadmap/kit/express';
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function createRegistry(): OpenAPIRegistry {
  const registry = createRouteRegistry();
  registry.registerComponent('securitySchemes', 'Token', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Send `Token <jwt>` (RealWorld) or `Bearer <jwt>`; the jwt comes from POST /api/users or /api/users/login.',
  });
  return registry;
}

/** One document from several registries (ours, then the ones auth's routes were declared in). */
export function generateDocument(...registries: OpenAPIRegistry[]): OpenApiDocument {
  const definitions = registries.flatMap((registry) => registry.definitions);
  return new OpenApiGeneratorV31(definitions).generateDocument({
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

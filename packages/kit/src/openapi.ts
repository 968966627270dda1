import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Why here, once: this adds `.openapi()` to every zod schema (names, examples, descriptions).
// Every file that declares routes imports `z` from here (through @roadmap/kit/express).
extendZodWithOpenApi(z);

export { z };

/**
 * `.openapi()` exists only on schemas created after extendZodWithOpenApi() ran (zod 4 attaches
 * methods per instance). Request schemas live in framework-free packages (conduit, auth's core)
 * that know nothing of OpenAPI and may load first, so they are documented through a fresh
 * copy: same rules.
 */
export function documented<T extends z.ZodType>(schema: T, nameOrMeta: string | OpenApiMeta): T {
  const copy = schema.clone();
  return typeof nameOrMeta === 'string'
    ? copy.openapi(nameOrMeta)
    : copy.openapi(nameOrMeta as never);
}
/** The JSON Schema keywords we set by hand (type, bounds, description, example, format). */
type OpenApiMeta = Record<string, unknown>;

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

/** What each error status means (the descriptions Swagger UI shows). */
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

/** Adds the components every route's operation refers to (the error model). */
export function registerCommonComponents(registry: OpenAPIRegistry): OpenAPIRegistry {
  registry.register('GenericErrorModel', genericErrorSchema);
  return registry;
}

/** Express writes `/articles/:slug`; OpenAPI writes `/articles/{slug}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

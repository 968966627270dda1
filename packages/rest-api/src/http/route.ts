import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Actor, RoutePolicy } from '@roadmap/auth';
import { actorOf } from '@roadmap/auth/express';
import { parseOrThrow } from '@roadmap/conduit';
import { AppError } from '@roadmap/kit';
import type { Request, RequestHandler, Router } from 'express';
import {
  ERROR_RESPONSES,
  genericErrorSchema,
  toOpenApiPath,
  z,
  type ErrorStatus,
} from '../openapi';

export type { RoutePolicy };

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Empty = z.ZodObject<Record<string, never>>;

/**
 * One route, declared once. From this one object come:
 *   - the Express route (policy middleware → validation → handler),
 *   - the OpenAPI operation (path, parameters, request body, responses, security).
 * So the document cannot drift from the code: there is no second place to forget.
 */
export interface RouteDefinition<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax, full path: `/api/articles/:slug`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  policy: RoutePolicy;
  /** `optional`: anonymous callers are served too, but a token changes the answer. */
  auth?: 'optional';
  params?: P;
  query?: Q;
  /** The RealWorld envelope: `{"user": {...}}` → `{ name: 'user', schema }`. */
  body?: { name: string; schema: B };
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType };
  errors: ErrorStatus[];
  handle: (input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    actor: Actor;
    req: Request;
  }) => Promise<unknown>;
}

export interface RouteContext {
  router: Router;
  registry: OpenAPIRegistry;
  /** auth's routePolicy(): enforces the policy and records it on the route for the RBAC test. */
  routePolicy: (policy: RoutePolicy) => RequestHandler;
}

export function defineRoute<
  P extends AnyObject = Empty,
  Q extends AnyObject = Empty,
  B extends z.ZodType = z.ZodUndefined,
>(context: RouteContext, route: RouteDefinition<P, Q, B>): void {
  context.registry.registerPath(toOperation(route));

  const envelope = route.body ? z.object({ [route.body.name]: route.body.schema }) : undefined;

  const handler: RequestHandler = async (req, res) => {
    // Only what a schema declares reaches the handler: unknown keys are dropped, types coerced.
    const params = route.params ? parseOrThrow(route.params, req.params) : {};
    const query = route.query
      ? parseOrThrow(route.query, singleValued(route.query, req.query))
      : {};
    // skip = 1: `{"article":{"title":""}}` reports the field `title`, as the spec's examples do.
    const body: unknown = envelope
      ? (parseOrThrow(envelope, req.body, 1) as Record<string, unknown>)[route.body!.name]
      : undefined;
    const result = await route.handle({
      params: params as z.output<P>,
      query: query as z.output<Q>,
      body: body as z.output<B>,
      actor: actorOf(req),
      req,
    });
    if (route.success.status === 204) {
      res.status(204).end();
      return;
    }
    res.status(route.success.status).json(result);
  };

  context.router[route.method](route.path, context.routePolicy(route.policy), handler);
}

/**
 * Express parses `?limit=1&limit=2` into an array. Which one was meant is a guess, so a
 * declared parameter given twice is a 422 that says so (zod alone would say "must be a string").
 */
function singleValued(schema: AnyObject, query: unknown): unknown {
  const values = (query ?? {}) as Record<string, unknown>;
  const repeated = Object.keys(schema.shape).filter((key) => Array.isArray(values[key]));
  if (repeated.length > 0)
    throw AppError.validation(
      Object.fromEntries(repeated.map((key) => [key, ['must be given once']])),
    );
  return values;
}

function toOperation<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteConfig {
  const responses: RouteConfig['responses'] = {
    [route.success.status]: {
      description: route.success.description,
      ...(route.success.schema
        ? { content: { 'application/json': { schema: route.success.schema } } }
        : {}),
    },
  };
  // Every route can also answer 429 (rate limit) and, with a body, 400/413 (JSON, size).
  const statuses = new Set<ErrorStatus>([
    ...route.errors,
    429,
    ...(route.body ? ([400, 413, 422] as const) : []),
  ]);
  for (const status of [...statuses].sort()) {
    const { description, example } = ERROR_RESPONSES[status];
    responses[status] = {
      description,
      content: { 'application/json': { schema: genericErrorSchema, example } },
    };
  }
  // `{}` in the list means "or no credentials at all": OpenAPI's way to say "auth optional".
  const security: Record<string, string[]>[] | undefined =
    route.policy === 'public'
      ? route.auth === 'optional'
        ? [{}, { Token: [] }]
        : undefined
      : [{ Token: [] }];
  return {
    method: route.method,
    path: toOpenApiPath(route.path),
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(security ? { security } : {}),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body
        ? {
            body: {
              required: true,
              content: {
                'application/json': { schema: z.object({ [route.body.name]: route.body.schema }) },
              },
            },
          }
        : {}),
    },
    responses,
  };
}

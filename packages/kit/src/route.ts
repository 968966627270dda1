import {
  OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import { AppError } from './errors';
import { JsonResponse } from './json-response';
import {
  ERROR_RESPONSES,
  genericErrorSchema,
  registerCommonComponents,
  toOpenApiPath,
  z,
  type ErrorStatus,
} from './openapi';
import { parseOrThrow } from './validation';

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Empty = z.ZodObject<Record<string, never>>;

/** A response that is not an error: a redirect, say, beside the route's `success`. */
export interface OtherResponse {
  description: string;
  schema?: z.ZodType;
}

/**
 * One route, declared once. From this one object come:
 *   - the Express route (policy middleware → the route's own middleware → validation → handler),
 *   - the OpenAPI operation (path, parameters, request body, responses, security).
 * So the document cannot drift from the code: there is no second place to forget.
 *
 * `Actor` and `Policy` are the auth package's types; kit knows neither, the context brings them.
 */
export interface RouteDefinition<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  Actor,
  Policy extends string,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax, full path: `/api/articles/:slug`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Who may call it. `'public'` routes carry no security requirement in the document. */
  policy: Policy;
  /** `optional`: anonymous callers are served too, but a token changes the answer. */
  auth?: 'optional';
  /** Express middleware run after the policy check, before validation (e.g. a cookie session). */
  middleware?: RequestHandler[];
  params?: P;
  query?: Q;
  /**
   * The JSON body. With `name`, the RealWorld envelope `{"user": {...}}` → `{ name: 'user',
   * schema }`; without, the body is the schema itself (`{"email": …, "password": …}`).
   */
  body?: { name?: string; schema: B };
  success: { status: 200 | 201 | 204 | 302; description: string; schema?: z.ZodType };
  /** Other non-error answers the handler may give itself through `res` (a 303 redirect). */
  otherResponses?: Partial<Record<200 | 201 | 204 | 302 | 303, OtherResponse>>;
  errors: ErrorStatus[];
  /**
   * Returns the success body: an object (serialised here) or a ready JsonResponse (sent as
   * is). A handler that needs headers or cookies uses `res` for them; one that answers by
   * itself (a redirect) does so through `res` and returns nothing.
   */
  handle: (input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    actor: Actor;
    req: Request;
    res: Response;
  }) => Promise<unknown>;
}

export interface RouteContext<Actor, Policy extends string> {
  router: Router;
  registry: OpenAPIRegistry;
  /** Enforces the policy and records it on the route (auth's routePolicy, for the RBAC test). */
  routePolicy: (policy: Policy) => RequestHandler;
  /** Who is asking, as the services want it (auth's actorOf). */
  actorOf: (req: Request) => Actor;
}

/** A registry for defineRoute(), holding the components its operations refer to. */
export function createRouteRegistry(): OpenAPIRegistry {
  return registerCommonComponents(new OpenAPIRegistry());
}

export function defineRoute<
  Actor,
  Policy extends string,
  P extends AnyObject = Empty,
  Q extends AnyObject = Empty,
  B extends z.ZodType = z.ZodUndefined,
>(context: RouteContext<Actor, Policy>, route: RouteDefinition<P, Q, B, Actor, Policy>): void {
  context.registry.registerPath(toOperation(route));

  const bodySchema = route.body && requestBodySchema(route.body);

  const handler: RequestHandler = async (req, res) => {
    // Only what a schema declares reaches the handler: unknown keys are dropped, types coerced.
    const params = route.params ? parseOrThrow(route.params, req.params) : {};
    const query = route.query
      ? parseOrThrow(route.query, singleValued(route.query, req.query))
      : {};
    const body = route.body ? parseBody(route.body, bodySchema!, req.body) : undefined;
    const result = await route.handle({
      params: params as z.output<P>,
      query: query as z.output<Q>,
      body: body as z.output<B>,
      actor: context.actorOf(req),
      req,
      res,
    });
    // The handler answered by itself (a redirect): nothing left to send.
    if (res.headersSent) return;
    if (route.success.status === 204) {
      res.status(204).end();
      return;
    }
    if (result instanceof JsonResponse) {
      sendJsonText(req, res, route.success.status, result);
      return;
    }
    res.status(route.success.status).json(result);
  };

  context.router[route.method](
    route.path,
    context.routePolicy(route.policy),
    ...(route.middleware ?? []),
    handler,
  );
}

function requestBodySchema(body: { name?: string; schema: z.ZodType }): z.ZodType {
  return body.name ? z.object({ [body.name]: body.schema }) : body.schema;
}

function parseBody(body: { name?: string }, schema: z.ZodType, input: unknown): unknown {
  // skip = 1: `{"article":{"title":""}}` reports the field `title`, as the spec's examples do.
  if (body.name) return (parseOrThrow(schema, input, 1) as Record<string, unknown>)[body.name];
  // No body at all is an empty one: each missing field is then "can't be blank".
  return parseOrThrow(schema, input ?? {});
}

/**
 * Sends an already serialised body (a cache hit, or JSON built by PostgreSQL) as res.send()
 * would — same headers, same 304 for a matching If-None-Match — minus two costs: hashing the
 * body (the ETag is already known) and copying it into a Buffer. Why the string matters: Node
 * writes the headers and a string body in ONE socket write; a Buffer body goes out as a second
 * chunk (writev), which the profile shows as one of the larger costs of a cached read.
 */
function sendJsonText(req: Request, res: Response, status: number, body: JsonResponse): void {
  res.status(status);
  res.setHeader('ETag', body.etag);
  // req.fresh compares If-None-Match with the ETag just set; a 304 carries no body headers.
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body.json, 'utf8'));
  res.end(body.json);
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

function response({ description, schema }: OtherResponse): ResponseConfig {
  return {
    description,
    ...(schema ? { content: { 'application/json': { schema } } } : {}),
  };
}

function toOperation<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  Actor,
  Policy extends string,
>(route: RouteDefinition<P, Q, B, Actor, Policy>): RouteConfig {
  const responses: RouteConfig['responses'] = { [route.success.status]: response(route.success) };
  for (const [status, other] of Object.entries(route.otherResponses ?? {}))
    if (other) responses[status] = response(other);
  // Every route can also answer 429 (rate limit) and, with a body, 400/413/422 (JSON, size).
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
              content: { 'application/json': { schema: requestBodySchema(route.body) } },
            },
          }
        : {}),
    },
    responses,
  };
}

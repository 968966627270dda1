import type { Router } from 'express';
import {
  createRouteRegistry,
  defineRoute as declare,
  z,
  type OpenAPIRegistry,
  type RouteContext as KitRouteContext,
  type RouteDefinition,
} from '@roadmap/kit/express';
import { ROLES, type Actor, type RoutePolicy } from '../policy';
import { actorOf, routePolicy } from './authenticate';

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Empty = z.ZodObject<Record<string, never>>;

/** kit's route context with this package's Actor and policies: what a route declaration gets. */
export type RouteContext = KitRouteContext<Actor, RoutePolicy>;

/**
 * kit's defineRoute — the one way every Express route is declared, auth's and Conduit's —
 * typed with auth's Actor and RoutePolicy, so a handler's `actor` is what the services take.
 */
export function defineRoute<
  P extends AnyObject = Empty,
  Q extends AnyObject = Empty,
  B extends z.ZodType = z.ZodUndefined,
>(context: RouteContext, route: RouteDefinition<P, Q, B, Actor, RoutePolicy>): void {
  declare(context, route);
}

/** Routes declared in this context enforce auth's policies and read auth's actor. */
export function routeContext(
  router: Router,
  registry: OpenAPIRegistry = createRouteRegistry(),
): RouteContext {
  return { router, registry, routePolicy, actorOf };
}

// The response bodies of the auth routes, for the OpenAPI document (toPublicUser's shape).
export const publicUserSchema = z
  .object({
    username: z.string(),
    email: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    role: z.enum(ROLES),
  })
  .openapi('AuthUser');
export const tokenPairSchema = z
  .object({
    user: publicUserSchema,
    accessToken: z.string().openapi({ description: 'at+jwt, JWT_ACCESS_TTL_SECONDS (900 s)' }),
    refreshToken: z.string().openapi({ description: 'refresh+jwt, single use (rotated)' }),
    expiresIn: z.number().int().openapi({ description: 'Seconds until accessToken expires' }),
  })
  .openapi('TokenPair');
export const sessionUserSchema = z.object({ user: publicUserSchema, csrfToken: z.string() });

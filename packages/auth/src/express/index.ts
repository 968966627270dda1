// @roadmap/auth/express: the Express face of the auth core — the authenticate middleware, the
// cookie session with its CSRF defence, the passport OAuth2 strategy and the auth routes.
// Framework-free packages (conduit, GraphQL resolvers, consumers) import @roadmap/auth instead.
import './request';

export { createAuth, type Auth, type AuthDeps } from './create-auth';
export {
  routePolicy,
  declaredPolicy,
  requireAuth,
  actorOf,
  authOf,
  type RoutePolicy,
  type PolicyMiddleware,
} from './authenticate';
export { buildAuthApp } from './app';
export { defineRoute, routeContext, type RouteContext } from './route';
export type { AuthContext } from './request';

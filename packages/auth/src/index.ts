import './types';

export { createAuth, type Auth, type AuthDeps } from './create-auth';
export { authConfigShape, loadAuthConfig, type AuthConfig } from './config';
export {
  policy,
  can,
  assertCan,
  permissionsOf,
  isRole,
  ROLES,
  PERMISSIONS,
  type Role,
  type Permission,
  type Actor,
  type Resource,
} from './policy';
export {
  routePolicy,
  declaredPolicy,
  requireAuth,
  actorOf,
  type RoutePolicy,
  type PolicyMiddleware,
} from './authenticate';
export { loginBody, refreshBody, setRoleBody, pageQuery } from './auth.schema';
export { MAX_TOKEN_LENGTH, type AccessClaims } from './tokens';
export type { TokenPair } from './token.service';
export type { Passwords } from './passwords';
export type { LoginInput } from './login.service';
export type { AuthContext } from './types';
export { toPublicUser } from './user.view';

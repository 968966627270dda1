// @roadmap/auth: the framework-free core of authentication and authorization. Nothing here
// imports an HTTP framework; the Express adapters live in @roadmap/auth/express.
export { createAuthCore, tokenFromAuthorization, type AuthCore, type AuthDeps } from './core';
export {
  authConfigShape,
  loadAuthConfig,
  sessionCookieSecure,
  assertProductionSecrets,
  oauthSettings,
  type AuthConfig,
  type OAuthSettings,
} from './config';
export {
  policy,
  can,
  assertCan,
  assertPolicy,
  permissionsOf,
  isRole,
  ROLES,
  PERMISSIONS,
  type Role,
  type Permission,
  type Actor,
  type Identity,
  type Resource,
  type RoutePolicy,
} from './policy';
export {
  credentialStamp,
  openSession,
  sessionExpired,
  sessionMatchesUser,
  type SessionRecord,
} from './session-rules';
export { profileFromUserinfo, type ExternalProfile } from './oauth.service';
export { loginBody, refreshBody, setRoleBody, pageQuery } from './auth.schema';
export { MAX_TOKEN_LENGTH, invalidToken, type AccessClaims, type TokenSigner } from './tokens';
export type { TokenPair } from './token.service';
export type { Passwords } from './passwords';
export type { LoginInput } from './login.service';
export { toPublicUser } from './user.view';
export { DEFAULT_PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password-rules';

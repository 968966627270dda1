import { tokenFromAuthorization, type Actor, type AuthCore } from '@roadmap/auth';

/** What this API needs from auth's core to know who asks (createAuthCore()'s result fits). */
export type TokenVerifier = Pick<AuthCore, 'actorFromToken'>;

/**
 * The Actor of a request or a socket: null without credentials; a 401 AppError for a header
 * or token that is present but wrong (a client that sent one expects to be recognised, so it
 * hears about the mistake instead of silently getting the anonymous view).
 */
export async function actorFromAuthorization(
  verifier: TokenVerifier,
  header: string | undefined | null,
): Promise<Actor> {
  if (header === undefined || header === null || header === '') return null;
  // `Token <jwt>` (RealWorld) or `Bearer <jwt>` (RFC 6750): the same parsing as the REST API's.
  // Why await: the core also checks the token's generation (revocation), cached in Redis.
  const { userId, role } = await verifier.actorFromToken(tokenFromAuthorization(header));
  return { userId, role };
}

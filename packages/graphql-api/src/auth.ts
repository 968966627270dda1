import { MAX_TOKEN_LENGTH, type AccessClaims, type Actor } from '@roadmap/auth';
import { AppError } from '@roadmap/kit';

/** What this API needs from auth's core: checking an access token (createAuth() fits). */
export interface TokenVerifier {
  verifyAccessToken(token: string): AccessClaims;
}

/** `Token <jwt>` (the RealWorld scheme) or `Bearer <jwt>` (RFC 6750), scheme case-insensitive. */
const AUTHORIZATION = /^(?:Token|Bearer) +([^\s]+) *$/i;

const invalid = () => AppError.unauthorized('token', 'is invalid');

/**
 * The Actor of a request or a socket: null without credentials; a 401 AppError for a header
 * or token that is present but wrong (a client that sent one expects to be recognised, so it
 * hears about the mistake instead of silently getting the anonymous view).
 */
export function actorFromAuthorization(
  verifier: TokenVerifier,
  header: string | undefined | null,
): Actor {
  if (header === undefined || header === null || header === '') return null;
  if (header.length > MAX_TOKEN_LENGTH + 16) throw invalid();
  const token = AUTHORIZATION.exec(header)?.[1];
  if (!token) throw invalid();
  const claims = verifier.verifyAccessToken(token);
  const userId = Number(claims.userId);
  if (!Number.isSafeInteger(userId) || userId <= 0) throw invalid();
  return { userId, role: claims.role };
}

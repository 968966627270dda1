import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '@roadmap/kit';
import type { AuthConfig } from './config';
import type { SigningKeys, VerificationKey } from './keys';
import { isRole, type Role } from './policy';

/**
 * JWTs per RFC 8725 (JWT Best Current Practices). Two kinds, told apart by explicit typing
 * (§3.11) *and* by mutually exclusive rules (§3.12): a different `typ` header and a different
 * audience, so an access token can never be replayed as a refresh token or the other way round.
 */
export type TokenKind = 'access' | 'refresh';

const TYP: Record<TokenKind, string> = { access: 'at+jwt', refresh: 'refresh+jwt' };
const ALGORITHM = 'ES256';
/** Ours are ~400 characters; anything this long is garbage or an attack on the parser. */
export const MAX_TOKEN_LENGTH = 2048;
/** Clock skew tolerated between machines, for `exp` and for "issued in the future". */
const CLOCK_TOLERANCE_SECONDS = 5;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface AccessClaims {
  userId: string;
  role: Role;
  /** The user's token generation at signing time (`gen`); 0 for tokens that predate it. */
  generation: number;
  tokenId: string;
  expiresAt: Date;
}

export interface RefreshClaims {
  userId: string;
  familyId: string;
  tokenId: string;
  expiresAt: Date;
}

export interface TokenSigner {
  /** `ttlSeconds` defaults to JWT_ACCESS_TTL_SECONDS; at most the longest access lifetime. */
  signAccess(
    user: { id: string | number; role: Role; tokenGeneration?: number },
    ttlSeconds?: number,
  ): { token: string; claims: AccessClaims };
  signRefresh(
    user: { id: string | number },
    familyId: string,
  ): { token: string; claims: RefreshClaims };
  verifyAccess(token: string): AccessClaims;
  verifyRefresh(token: string): RefreshClaims;
  jwks(): { keys: Record<string, string>[] };
}

/** Every failure looks the same to the client; the reason goes to the log via `cause`. */
export function invalidToken(reason: string): AppError {
  return new AppError({
    code: 'invalid_token',
    status: 401,
    message: 'is invalid',
    field: 'token',
    headers: { 'WWW-Authenticate': 'Token realm="conduit", error="invalid_token"' },
    cause: new Error(reason),
  });
}

export function createTokenSigner(
  config: AuthConfig,
  keys: SigningKeys,
  previous: VerificationKey[] = [],
): TokenSigner {
  // Signing uses the current key only; verification accepts it and any retired key still listed.
  const verificationKeys = new Map([keys, ...previous].map((key) => [key.kid, key.publicKey]));
  const audience: Record<TokenKind, string> = {
    access: config.JWT_AUDIENCE,
    refresh: `${config.JWT_ISSUER}/refresh`,
  };
  const lifetime: Record<TokenKind, number> = {
    access: config.JWT_ACCESS_TTL_SECONDS,
    refresh: config.JWT_REFRESH_TTL_SECONDS,
  };
  // Why a separate ceiling: the RealWorld `user.token` is the same kind of access token with a
  // longer life (CONDUIT_TOKEN_TTL_SECONDS), so the verifier accepts the longer of the two.
  const maxLifetime: Record<TokenKind, number> = {
    access: Math.max(config.JWT_ACCESS_TTL_SECONDS, config.CONDUIT_TOKEN_TTL_SECONDS),
    refresh: config.JWT_REFRESH_TTL_SECONDS,
  };

  function sign(
    kind: TokenKind,
    subject: string,
    claims: Record<string, unknown>,
    ttlSeconds = lifetime[kind],
  ) {
    if (ttlSeconds > maxLifetime[kind]) throw new Error(`${kind} token lifetime above the maximum`);
    const tokenId = randomUUID();
    const token = jwt.sign(claims, keys.privateKey, {
      algorithm: ALGORITHM,
      header: { alg: ALGORITHM, typ: TYP[kind], kid: keys.kid },
      issuer: config.JWT_ISSUER,
      audience: audience[kind],
      subject,
      jwtid: tokenId,
      expiresIn: ttlSeconds,
    });
    return { token, tokenId, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  function verify(
    kind: TokenKind,
    token: string,
  ): jwt.JwtPayload & { sub: string; jti: string; exp: number } {
    // 1. Bound the size and the shape before any parsing (also rejects "alg: none" tokens,
    //    whose signature part is empty).
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
      throw invalidToken('missing or oversized');
    if (!COMPACT_JWS.test(token)) throw invalidToken('not a compact JWS');
    // 2. The header, checked by us: jsonwebtoken does not know typ, crit or kid rules.
    let header: unknown;
    try {
      header = JSON.parse(
        Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
      );
    } catch (error) {
      throw invalidToken(`header is not JSON: ${(error as Error).message}`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header))
      throw invalidToken('header is not an object');
    const h = header as Record<string, unknown>;
    if (h.alg !== ALGORITHM) throw invalidToken(`alg ${String(h.alg)}`);
    if (h.typ !== TYP[kind]) throw invalidToken(`typ ${String(h.typ)} where ${TYP[kind]} expected`);
    // Why: RFC 7515 §4.1.11 — a recipient must reject a token with a `crit` extension it
    // does not understand, and we understand none.
    if ('crit' in h) throw invalidToken('crit header present');
    const publicKey = typeof h.kid === 'string' ? verificationKeys.get(h.kid) : undefined;
    if (!publicKey) throw invalidToken('unknown kid');
    // jku / x5u / jwk / x5c are deliberately never read: the key comes only from our own key
    // set, so a token cannot point us at an attacker's key.

    // 3. Signature and registered claims, with the algorithm list pinned.
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, publicKey, {
        algorithms: [ALGORITHM],
        issuer: config.JWT_ISSUER,
        audience: audience[kind],
        maxAge: maxLifetime[kind],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      throw invalidToken((error as Error).message);
    }
    // 4. What jsonwebtoken leaves optional but we require.
    if (typeof payload !== 'object') throw invalidToken('payload is not an object');
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== 'number') throw invalidToken('exp missing');
    if (typeof payload.iat !== 'number') throw invalidToken('iat missing');
    if (payload.iat > now + CLOCK_TOLERANCE_SECONDS) throw invalidToken('iat in the future');
    if (payload.exp - payload.iat > maxLifetime[kind])
      throw invalidToken('lifetime longer than allowed');
    if (typeof payload.sub !== 'string' || payload.sub.length === 0)
      throw invalidToken('sub missing');
    if (typeof payload.jti !== 'string') throw invalidToken('jti missing');
    return payload as jwt.JwtPayload & { sub: string; jti: string; exp: number };
  }

  return {
    signAccess(user, ttlSeconds) {
      const generation = user.tokenGeneration ?? 0;
      const { token, tokenId, expiresAt } = sign(
        'access',
        String(user.id),
        { role: user.role, gen: generation },
        ttlSeconds,
      );
      return {
        token,
        claims: { userId: String(user.id), role: user.role, generation, tokenId, expiresAt },
      };
    },
    signRefresh(user, familyId) {
      const { token, tokenId, expiresAt } = sign('refresh', String(user.id), { fam: familyId });
      return { token, claims: { userId: String(user.id), familyId, tokenId, expiresAt } };
    },
    verifyAccess(token) {
      const payload = verify('access', token);
      const role: unknown = payload.role;
      if (!isRole(role)) throw invalidToken('role claim missing');
      const generation: unknown = payload.gen ?? 0;
      if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0)
        throw invalidToken('gen claim malformed');
      return {
        userId: payload.sub,
        role,
        generation,
        tokenId: payload.jti,
        expiresAt: new Date(payload.exp * 1000),
      };
    },
    verifyRefresh(token) {
      const payload = verify('refresh', token);
      const familyId: unknown = payload.fam;
      if (typeof familyId !== 'string') throw invalidToken('fam claim missing');
      return {
        userId: payload.sub,
        familyId,
        tokenId: payload.jti,
        expiresAt: new Date(payload.exp * 1000),
      };
    },
    jwks() {
      return { keys: [keys.jwk, ...previous.map((key) => key.jwk)] };
    },
  };
}

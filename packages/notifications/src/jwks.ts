import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError, logger as defaultLogger, type Logger } from '@roadmap/kit';
import { isRole, MAX_TOKEN_LENGTH, type Role } from '@roadmap/auth';

export interface JwksVerifierOptions {
  /** auth's (or rest-api's) /.well-known/jwks.json */
  url: string;
  issuer: string;
  audience: string;
  /** Longest token lifetime accepted (exp − iat). */
  maxLifetimeSeconds: number;
  timeoutMs: number;
  cacheTtlMs: number;
  /** Unknown kids trigger at most one refetch per interval. */
  minRefreshIntervalMs: number;
  logger?: Logger;
}

export interface Caller {
  userId: number;
  role: Role;
}

const ALGORITHM = 'ES256';
const ACCESS_TYP = 'at+jwt';
const CLOCK_TOLERANCE_SECONDS = 5;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Same 401 as auth's, whatever went wrong; the reason goes to the log through `cause`. */
function invalidToken(reason: string): AppError {
  return new AppError({
    code: 'invalid_token',
    status: 401,
    message: 'is invalid',
    field: 'token',
    headers: { 'WWW-Authenticate': 'Token realm="conduit", error="invalid_token"' },
    cause: new Error(reason),
  });
}

/**
 * Verifies auth's access tokens with its PUBLIC keys only: no shared secret, no database read.
 * Keys come from the JWKS endpoint, are cached for `cacheTtlMs`, and are fetched again when a
 * token names a kid we do not have (auth rotated its key) — at most once per interval, so a
 * stream of tokens with made-up kids cannot turn this service into a flood against auth.
 */
export class JwksVerifier {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  /** How many times the key set was fetched (tests assert the cache works). */
  fetches = 0;
  private readonly log: Logger;

  constructor(private readonly options: JwksVerifierOptions) {
    this.log = options.logger ?? defaultLogger;
  }

  private refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      this.lastAttempt = Date.now();
      this.fetches++;
      try {
        const response = await fetch(this.options.url, {
          signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: { accept: 'application/json' },
        });
        if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
        const body = (await response.json()) as { keys?: unknown };
        if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys array');
        const next = new Map<string, KeyObject>();
        for (const jwk of body.keys as Array<Record<string, unknown>>) {
          // Only the kind of key auth signs with; anything else in the set is ignored.
          if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') continue;
          if (jwk.use !== undefined && jwk.use !== 'sig') continue;
          next.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
        }
        this.keys = next;
        this.fetchedAt = Date.now();
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** The key for `kid`: from the cache, or after a (bounded) refetch. */
  private async keyFor(kid: string): Promise<KeyObject | undefined> {
    const stale = Date.now() - this.fetchedAt > this.options.cacheTtlMs;
    const unknown = !this.keys.has(kid);
    const mayRefetch = Date.now() - this.lastAttempt >= this.options.minRefreshIntervalMs;
    if (this.fetchedAt === 0 || (stale && mayRefetch) || (unknown && mayRefetch)) {
      try {
        await this.refresh();
      } catch (err) {
        // With keys in hand, a failed refresh is survivable: keep verifying with them.
        if (this.keys.size === 0) {
          throw new AppError({
            code: 'auth_unavailable',
            status: 503,
            message: 'cannot verify tokens right now: the key set is unreachable',
            field: 'token',
            cause: err,
          });
        }
        this.log.warn({ err, url: this.options.url }, 'JWKS refresh failed; using cached keys');
      }
    }
    return this.keys.get(kid);
  }

  /** The caller of a request, or a 401 AppError (503 if no key set could ever be fetched). */
  async verify(token: string): Promise<Caller> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('oversized');
    if (!COMPACT_JWS.test(token)) throw invalidToken('not a compact JWS');
    let header: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(
        Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
      );
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      header = parsed as Record<string, unknown>;
    } catch (err) {
      throw invalidToken(`header: ${(err as Error).message}`);
    }
    // The same header rules as auth: pinned algorithm, explicit type, no `crit`, and the key
    // only ever from our own key set (jku / x5u / jwk headers are never read).
    if (header.alg !== ALGORITHM) throw invalidToken(`alg ${String(header.alg)}`);
    if (header.typ !== ACCESS_TYP) throw invalidToken(`typ ${String(header.typ)}`);
    if ('crit' in header) throw invalidToken('crit header present');
    if (typeof header.kid !== 'string') throw invalidToken('kid missing');
    const key = await this.keyFor(header.kid);
    if (!key) throw invalidToken('unknown kid');
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        maxAge: this.options.maxLifetimeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    } catch (err) {
      throw invalidToken((err as Error).message);
    }
    if (typeof payload !== 'object') throw invalidToken('payload is not an object');
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0) throw invalidToken('sub is not a user id');
    const role: unknown = payload.role;
    if (!isRole(role)) throw invalidToken('role claim missing');
    return { userId, role };
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { csrfSync } from 'csrf-sync';
import type { Redis } from 'ioredis';
import { AppError, redisUnavailable } from '@roadmap/kit';
import type { User } from '@roadmap/data-sql';
import { sessionCookieSecure, type AuthConfig } from '../config';
import { openSession } from '../session-rules';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (req: Request) => !SAFE_METHODS.has(req.method);

export const csrfRejected = (reason: string) =>
  new AppError({
    code: 'csrf',
    status: 403,
    message: 'is invalid',
    field: 'csrf',
    cause: new Error(reason),
  });

/**
 * Cookie sessions stored in Redis. The cookie holds only a signed random id; the data lives
 * server-side, so deleting one Redis key ends a session at once — the property JWTs lack.
 * The flip side: no Redis, no session. A request that needs its session while Redis does not
 * answer gets 503 `{"errors":{"session":["is temporarily unavailable"]}}` (Retry-After: 5),
 * after at most the client's command timeout, never a hang or a 500.
 */
export function createSessionMiddleware(
  config: AuthConfig,
  redis: Redis,
  secret: string,
): RequestHandler {
  const middleware = createExpressSession(config, redis, secret);
  return (req, res, next) => {
    middleware(req, res, (error?: unknown) => {
      next(error ? redisUnavailable(error, 'session') : undefined);
    });
  };
}

function createExpressSession(config: AuthConfig, redis: Redis, secret: string): RequestHandler {
  return session({
    // Why not the default "connect.sid": it tells an attacker which framework answers.
    name: config.SESSION_COOKIE_NAME,
    secret,
    store: new RedisStore({ client: redis, prefix: 'auth:sess:', ttl: config.SESSION_TTL_SECONDS }),
    resave: false,
    // Re-send the cookie on every response, so its expiry slides with the Redis TTL (idle timeout).
    rolling: true,
    // No session (and no Redis write, no cookie) until there is something to keep.
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      // Why lax, not strict: the OAuth provider redirects the browser back to us (a cross-site
      // top-level GET); a strict cookie would not come along and the state check would fail.
      // Cross-site POSTs still carry no cookie, and the CSRF token covers the rest.
      sameSite: 'lax',
      // Behind a TLS-terminating proxy Express only knows the request was HTTPS when
      // `trust proxy` is set (kit's createHttpApp({ trustProxy })).
      secure: sessionCookieSecure(config),
      maxAge: config.SESSION_TTL_SECONDS * 1000,
      path: '/',
    },
  });
}

/**
 * CSRF defence for session-authenticated state changes: a synchronizer token (kept in the
 * session, echoed by the page in `x-csrf-token`) plus an Origin check.
 */
export function createCsrf(config: AuthConfig) {
  const sync = csrfSync({ getTokenFromRequest: (req) => req.get('x-csrf-token') });

  /** The Origin (or, failing that, the Referer's origin) must be one of APP_ORIGINS. */
  function assertSameOrigin(req: Request): void {
    let origin = req.get('origin');
    if (!origin) {
      const referer = req.get('referer');
      try {
        origin = referer ? new URL(referer).origin : undefined;
      } catch {
        origin = undefined;
      }
    }
    if (!origin || !config.APP_ORIGINS.includes(origin))
      throw csrfRejected(`origin ${origin ?? '(none)'} not allowed`);
  }

  return {
    assertSameOrigin,
    /** For a state change made with a session: Origin first (cheap), then the token. */
    assertValid(req: Request): void {
      assertSameOrigin(req);
      const sent = sync.getTokenFromRequest(req);
      const kept = sync.getTokenFromState(req);
      if (typeof sent !== 'string' || typeof kept !== 'string' || !sameSecret(sent, kept)) {
        throw csrfRejected('synchronizer token missing or wrong');
      }
    },
    /** The session's token, created on first use; `fresh` rotates it (after login). */
    token(req: Request, fresh = false): string {
      return sync.generateToken(req, fresh);
    },
    revoke: (req: Request) => sync.revokeToken(req),
  };
}
export type Csrf = ReturnType<typeof createCsrf>;

/** Constant-time string comparison (csrf-sync's own check uses ===). */
function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Signs a user into the session. Why regenerate: a session id the browser had *before* login
 * (perhaps planted by an attacker — session fixation) must not become an authenticated one.
 */
export async function startSession(
  req: Request,
  user: Pick<User, 'id' | 'passwordHash' | 'tokenGeneration'>,
  csrf: Csrf,
): Promise<string> {
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((err) =>
      err ? reject(redisUnavailable(err as Error, 'session')) : resolve(),
    ),
  );
  Object.assign(req.session, openSession(user));
  const csrfToken = csrf.token(req, true);
  await new Promise<void>((resolve, reject) =>
    req.session.save((err) =>
      err ? reject(redisUnavailable(err as Error, 'session')) : resolve(),
    ),
  );
  return csrfToken;
}

/** Deletes the session from Redis, so the cookie, even if stolen, is worth nothing afterwards. */
export async function endSession(req: Request): Promise<void> {
  if (!req.session) return;
  await new Promise<void>((resolve, reject) =>
    req.session.destroy((err) =>
      err ? reject(redisUnavailable(err as Error, 'session')) : resolve(),
    ),
  );
}

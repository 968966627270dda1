import type { Role } from '../policy';
import type { SessionRecord } from '../session-rules';

/** Who made this request, set by `authenticate`; undefined for an anonymous request. */
export interface AuthContext {
  userId: number;
  role: Role;
  /** How the identity was proven: a JWT in the Authorization header, or the session cookie. */
  via: 'token' | 'session';
  /** When the credential expires: the token's `exp`, or the session's absolute end. */
  expiresAt: Date;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's documented way to type req additions
  namespace Express {
    interface Request {
      auth?: AuthContext;
      /** Why a token or session was not accepted (invalid token: 401, CSRF: 403), reported by requireAuth instead of a plain "missing" 401. */
      authRejection?: Error;
    }
  }
}

declare module 'express-session' {
  // The fields and their rules are the core's (../session-rules.ts); Redis stores them.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging needs an interface
  interface SessionData extends SessionRecord {}
}

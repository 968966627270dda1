import type { Role } from './policy';

/** Who made this request, set by `authenticate`; undefined for an anonymous request. */
export interface AuthContext {
  userId: number;
  role: Role;
  /** How the identity was proven: a JWT in the Authorization header, or the session cookie. */
  via: 'token' | 'session';
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
  interface SessionData {
    userId?: number;
    /** When the login happened (ms): the session dies SESSION_ABSOLUTE_TTL_SECONDS later whatever the activity. */
    authenticatedAt?: number;
    /** credentialStamp() of the password hash at login: a password change ends the session. */
    credentialStamp?: string;
  }
}

import type pg from 'pg';
import { AppError, logger } from '@roadmap/kit';
import { findUserByEmail, updateUser, type User } from '@roadmap/data-sql';
import type { LoginThrottle } from './login-throttle';
import type { Passwords } from './passwords';

export interface LoginInput {
  email: string;
  password: string;
  /** The client address as Express sees it (mind `trust proxy`), for per-IP throttling. */
  ip: string;
}

/** One message for "no such user" and "wrong password": the response must not enumerate accounts. */
export const invalidCredentials = () =>
  new AppError({
    code: 'invalid_credentials',
    status: 401,
    message: 'is invalid',
    field: 'email or password',
  });

export function createLoginService(deps: {
  pool: pg.Pool;
  passwords: Passwords;
  throttle: LoginThrottle;
}) {
  const { pool, passwords, throttle } = deps;

  /** Email + password → the user, or 401 (generic) / 429 (throttled). */
  async function login(input: LoginInput): Promise<User> {
    await throttle.hit(input.email, input.ip);
    const user = await findUserByEmail(pool, input.email);
    if (!user?.passwordHash) {
      // Why hash anyway: answering faster for unknown emails would enumerate them by timing.
      await passwords.verifyDummy(input.password);
      throw invalidCredentials();
    }
    if (!(await passwords.verify(user.passwordHash, input.password))) throw invalidCredentials();
    await throttle.succeeded(input.email, input.ip);
    if (passwords.needsRehash(user.passwordHash)) {
      // Why here: the plain password exists only at login, so this is the one moment an old
      // hash can be upgraded to the current parameters without asking the user anything.
      const passwordHash = await passwords.hash(input.password).catch(() => null);
      if (passwordHash) {
        await updateUser(pool, user.id, { passwordHash });
        logger.info({ userId: user.id }, 'password re-hashed with the current parameters');
        return { ...user, passwordHash };
      }
    }
    return user;
  }

  return { login };
}

import os from 'node:os';
import argon2 from 'argon2';
import { AppError } from '@roadmap/kit';
import type { AuthConfig } from './config';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface Passwords {
  /** Argon2id PHC string, e.g. `$argon2id$v=19$m=19456,t=2,p=1$…`. Rejects a too-short password. */
  hash(plain: string): Promise<string>;
  /** Constant-time compare; a malformed stored hash is simply "no match". */
  verify(stored: string, plain: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters (re-hash it on the next login). */
  needsRehash(stored: string): boolean;
  /** Burns the same time as a real verify, so an unknown email is not faster than a wrong password. */
  verifyDummy(plain: string): Promise<false>;
  readonly params: Argon2Params;
  /** Hashes and verifies waiting for a slot right now (the password_hash_queue_depth gauge). */
  readonly queued: number;
}

/** Beyond this the request is abuse, not a password (Argon2 itself would accept it). */
const MAX_LENGTH = 1024;

export function createPasswords(config: AuthConfig): Passwords {
  const params: Argon2Params = {
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
  };
  // Why a limit: argon2 already runs on libuv's thread pool, off the event loop; but with 4
  // pool threads on a 2-core machine a login storm would still starve the event loop of CPU.
  // Queueing hashes beyond (cores − 1) keeps one core for everything else.
  const limit = config.PASSWORD_HASH_CONCURRENCY || Math.max(1, os.availableParallelism() - 1);
  const { run, waiting } = semaphore(limit);
  let dummy: Promise<string> | undefined;

  const passwords: Passwords = {
    params,
    get queued() {
      return waiting.length;
    },
    async hash(plain) {
      if (typeof plain !== 'string' || plain.length < config.PASSWORD_MIN_LENGTH) {
        throw AppError.validation({
          password: [`is too short (minimum is ${config.PASSWORD_MIN_LENGTH} characters)`],
        });
      }
      if (plain.length > MAX_LENGTH)
        throw AppError.validation({
          password: [`is too long (maximum is ${MAX_LENGTH} characters)`],
        });
      return run(() => argon2.hash(plain, { type: argon2.argon2id, ...params }));
    },
    async verify(stored, plain) {
      if (typeof plain !== 'string' || plain.length === 0 || plain.length > MAX_LENGTH)
        return false;
      try {
        return await run(() => argon2.verify(stored, plain));
      } catch {
        return false;
      }
    },
    needsRehash(stored) {
      try {
        return argon2.needsRehash(stored, params) || !stored.startsWith('$argon2id$');
      } catch {
        return true;
      }
    },
    async verifyDummy(plain) {
      dummy ??= argon2.hash('dummy-password-for-timing', { type: argon2.argon2id, ...params });
      await passwords.verify(await dummy, plain);
      return false;
    },
  };
  return passwords;
}

/** A tiny counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
function semaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  return { run, waiting };
}

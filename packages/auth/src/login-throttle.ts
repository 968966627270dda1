import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, clientKey, redisUnavailable } from '@roadmap/kit';
import type { AuthConfig } from './config';

/**
 * Login throttling in Redis, so every instance of the API shares the counters.
 *
 * Fixed windows, counted *before* the password is checked: the increment and the limit test
 * are one Lua script, so 100 parallel guesses cannot all slip through before the first
 * failure is recorded. A success clears the account's counter (and gives the IP its attempt
 * back), so only failures really count.
 *
 * Per account: strict (5 per 15 min) — stops guessing one user's password.
 * Per IP: generous (100 per 15 min) — stops one machine spraying many accounts, without
 * locking out an office behind one NAT address.
 *
 * Fails CLOSED: when Redis does not answer, logins get 503 `{"errors":{"login":["is
 * temporarily unavailable"]}}` with Retry-After. Letting them through unthrottled would hand
 * an attacker who can slow Redis down an unlimited password-guessing window.
 */
const HIT = `
local account = redis.call('INCR', KEYS[1])
if account == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ip = redis.call('INCR', KEYS[2])
if ip == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return { account, redis.call('TTL', KEYS[1]), ip, redis.call('TTL', KEYS[2]) }
`;
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECR', KEYS[2]) end
return 1
`;

export interface LoginThrottle {
  /** Counts one attempt; throws 429 with Retry-After when the account or the IP is over its limit. */
  hit(email: string, ip: string): Promise<void>;
  /** After a successful login. */
  succeeded(email: string, ip: string): Promise<void>;
}

export function createLoginThrottle(redis: Redis, config: AuthConfig): LoginThrottle {
  const accountKey = (email: string) =>
    // Why hash: the key names an account without writing email addresses into Redis.
    `auth:login:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
  // kit's clientKey(): an IPv6 client is its /64, the key the general rate limit uses too.
  const ipKey = (ip: string) => `auth:login:ip:${clientKey(ip)}`;

  return {
    async hit(email, ip) {
      const [account, accountTtl, perIp, ipTtl] = (await redis
        .eval(
          HIT,
          2,
          accountKey(email),
          ipKey(ip),
          config.LOGIN_ACCOUNT_WINDOW_SECONDS,
          config.LOGIN_IP_WINDOW_SECONDS,
        )
        .catch((error: unknown) => {
          throw redisUnavailable(error, 'login');
        })) as [number, number, number, number];
      const retry = Math.max(
        account > config.LOGIN_MAX_FAILURES_PER_ACCOUNT ? accountTtl : 0,
        perIp > config.LOGIN_MAX_FAILURES_PER_IP ? ipTtl : 0,
      );
      // Same answer whether or not the account exists: throttling must not enumerate users.
      if (retry > 0) throw AppError.tooManyRequests(retry, 'login');
    },
    async succeeded(email, ip) {
      // Why not fail here: the password was right; a counter left behind only expires later.
      await redis.eval(SUCCEEDED, 2, accountKey(email), ipKey(ip)).catch(() => undefined);
    },
  };
}

import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';
import { AppError, redisUnavailable } from '@roadmap/kit';
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
  const ipKey = (ip: string) => `auth:login:ip:${ipBucket(ip)}`;

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

/**
 * The unit the per-IP limit counts: an IPv4 address, or the /64 network of an IPv6 one.
 * Why /64: that is what one subscriber line or one cloud machine is given, so one attacker
 * holds 2^64 addresses — counting them one by one would make the per-IP limit worthless.
 * An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, what a dual-stack socket reports) is
 * the same client as the IPv4 one.
 */
export function ipBucket(ip: string): string {
  if (isIPv4(ip)) return ip;
  const address = ip.split('%')[0]!; // drop an IPv6 zone id (fe80::1%eth0)
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

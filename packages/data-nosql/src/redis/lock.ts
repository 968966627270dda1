import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A lock with an expiry and a fencing token.
 *
 * The expiry means a crashed holder cannot block everyone forever. But it also means a holder
 * that merely *paused* (a GC pause, a slow disk, a stopped VM) can wake up after its lock
 * expired and someone else took it — and still believe it holds the lock. Nothing the holder
 * checks before writing closes that gap: it can pause between the check and the write.
 *
 * The fix is on the side of the resource: every acquisition gets a number from a counter that
 * only grows (the fencing token), the holder sends it with each write, and the resource
 * refuses a token lower than the highest it has seen. The late writer is then refused by the
 * one party that cannot be fooled by a pause.
 */
const ACQUIRE_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
`;

// Only the owner may release or extend: a plain DEL after our lock expired would delete the
// next holder's lock.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const EXTEND_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

export interface Lease {
  resource: string;
  owner: string;
  /** Grows with every acquisition of this resource; send it with every protected write. */
  token: number;
}

export class RedisLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private lockKey(resource: string) {
    return `${this.prefix}lock:${resource}`;
  }

  private fenceKey(resource: string) {
    return `${this.prefix}lock:${resource}:fence`;
  }

  /** The lease, or null when someone else holds the lock. */
  async tryAcquire(resource: string, ttlMs: number): Promise<Lease | null> {
    const owner = randomUUID();
    const token = Number(
      await this.redis.eval(
        ACQUIRE_LUA,
        2,
        this.lockKey(resource),
        this.fenceKey(resource),
        owner,
        ttlMs,
      ),
    );
    return token > 0 ? { resource, owner, token } : null;
  }

  async release(lease: Lease): Promise<boolean> {
    return (await this.redis.eval(RELEASE_LUA, 1, this.lockKey(lease.resource), lease.owner)) === 1;
  }

  async extend(lease: Lease, ttlMs: number): Promise<boolean> {
    const result = await this.redis.eval(
      EXTEND_LUA,
      1,
      this.lockKey(lease.resource),
      lease.owner,
      ttlMs,
    );
    return result === 1;
  }
}

/**
 * The protected resource's side: a value that accepts a write only with a token at least as
 * high as any it has accepted before. (In a real system this check lives in the storage —
 * a conditional UPDATE `WHERE fence_token <= $token`, an object store precondition — here a
 * Redis hash stands in for it.)
 */
const FENCED_WRITE_LUA = `
local highest = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
local token = tonumber(ARGV[1])
if token < highest then
  return 0
end
redis.call('HSET', KEYS[1], 'token', token, 'value', ARGV[2])
return 1
`;

export class FencedStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string) {
    return `${this.prefix}fenced:${name}`;
  }

  /** true when written; false when the token is older than one already seen (a stale holder). */
  async write(name: string, token: number, value: string): Promise<boolean> {
    return (await this.redis.eval(FENCED_WRITE_LUA, 1, this.key(name), token, value)) === 1;
  }

  /** The unprotected write, for contrast: the last writer wins, however stale. */
  async writeUnfenced(name: string, value: string): Promise<void> {
    await this.redis.hset(this.key(name), 'value', value);
  }

  async read(name: string): Promise<string | null> {
    return this.redis.hget(this.key(name), 'value');
  }
}

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, deleteKeysByPrefix } from '../redis';
import { probeService, serviceUrl, unreachableMessage } from '../services';

export interface TestRedis {
  /** A client whose every key is prefixed with `prefix` (ioredis keyPrefix). */
  redis: Redis;
  prefix: string;
  url: string;
  /** Deletes this file's keys and disconnects. Call in afterAll. */
  cleanup: () => Promise<void>;
}

/** Redis isolation per test file: a unique key prefix on the shared server, never FLUSHDB. */
export async function createTestRedis(name: string): Promise<TestRedis> {
  const url = serviceUrl('redis');
  const prefix = `test:${name.replace(/[^A-Za-z0-9_-]/g, '_')}:${randomBytes(4).toString('hex')}:`;
  // Why a longer command timeout than production's: two CPU cores shared by parallel test
  // files can stall the event loop past one second, and a timeout here would be a false alarm.
  const redis = createRedis(url, {
    name: `test ${name}`,
    keyPrefix: prefix,
    lazyConnect: true,
    commandTimeoutMs: 5_000,
  });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    throw new Error(unreachableMessage(await probeService('redis', url)));
  }
  return {
    redis,
    prefix,
    url,
    cleanup: async () => {
      await deleteByPrefix(url, prefix);
      redis.disconnect();
    },
  };
}

export async function deleteByPrefix(url: string, prefix: string): Promise<number> {
  // A separate client without keyPrefix: SCAN patterns are not prefixed by ioredis.
  const plain = createRedis(url, { lazyConnect: true, commandTimeoutMs: 5_000 });
  try {
    await plain.connect();
    return await deleteKeysByPrefix(plain, prefix);
  } finally {
    plain.disconnect();
  }
}

import { Redis } from 'ioredis';
import { createTestRedis } from '@roadmap/kit/testing';

export interface RedisFixture {
  /** A plain client (no ioredis keyPrefix): the code under test builds its own keys from `prefix`. */
  redis: Redis;
  prefix: string;
  /** Another connection, for code that must run on a second client (subscribers, "other servers"). */
  connect: () => Redis;
  cleanup: () => Promise<void>;
}

/**
 * This file's own key prefix on the shared Redis (kit's createTestRedis), removed after.
 * Why plain clients: the lessons take a prefix and build keys themselves, so MEMORY USAGE,
 * XAUTOCLAIM and Lua KEYS see the same names a reader sees in redis-cli.
 */
export async function redisFixture(name: string): Promise<RedisFixture> {
  const test = await createTestRedis(`datanosql_${name}`);
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(test.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix: test.prefix,
    connect,
    cleanup: async () => {
      // A second disconnect() of a closed client arms a 2 s timer that keeps jest waiting.
      for (const client of clients) if (client.status !== 'end') client.disconnect();
      await test.cleanup();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { randomBytes } from 'node:crypto';
import { probeService, StartupError, unreachableMessage } from '@roadmap/kit';
import { Redis } from 'ioredis';
import { loadDataNosqlConfig } from '../../config';

/**
 * Each lesson run works under its own key prefix (`lesson:<name>:<random>:`) and deletes its
 * keys at the end with SCAN + DEL — never FLUSHDB, and no CONFIG SET: the server may be shared.
 */
export async function openLessonRedis(name: string): Promise<{
  redis: Redis;
  prefix: string;
  connect: () => Redis;
  close: () => Promise<void>;
}> {
  const { REDIS_URL } = loadDataNosqlConfig();
  const probe = await probeService('redis', REDIS_URL);
  if (!probe.ok) throw new StartupError(unreachableMessage(probe));
  const prefix = `lesson:${name}:${randomBytes(3).toString('hex')}:`;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    close: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      for (const client of clients) if (client.status !== 'end') client.disconnect();
    },
  };
}

export const print = (text = '') => process.stdout.write(`${text}\n`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

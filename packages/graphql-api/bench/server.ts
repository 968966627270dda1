/**
 * The GraphQL API under test, built as src/main.ts builds it, with one switch: BENCH_NAIVE=1
 * gives the resolvers loaders that neither batch nor cache (the N+1 baseline). Started by
 * bench/run.ts as a child process; reports its port over the IPC channel.
 */
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createPool } from '@roadmap/data-sql';
import { serviceUrl } from '@roadmap/kit';
import { buildApp } from '../src/app';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set (bench/run.ts sets it).');

async function main(): Promise<void> {
  const pool = createPool(databaseUrl!, { max: 10, applicationName: 'bench-graphql' });
  const redis = new Redis(serviceUrl('redis'), { keyPrefix: process.env.BENCH_REDIS_PREFIX });
  const api = await buildApp({
    pool,
    redis,
    naive: process.env.BENCH_NAIVE === '1',
    channelPrefix: process.env.BENCH_REDIS_PREFIX,
    config: { CACHE_TTL_SECONDS: 0 },
  });
  const server = api.app.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
  });
  process.on('disconnect', () => {
    server.close();
    void api.close().finally(() => {
      redis.disconnect();
      void pool.end().finally(() => process.exit(0));
    });
  });
}

void main();

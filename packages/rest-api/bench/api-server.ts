/**
 * The REST API under test, exactly as src/main.ts builds and serves it (buildApp with real
 * PostgreSQL and Redis, kit's createExpressServer), with one switch: BENCH_CACHE=off sets
 * CACHE_TTL_SECONDS=0, the app's own way of turning the Redis cache off. It reports its SQL
 * round trips and CPU time (server-stats.ts).
 *
 * Started by bench/run.ts as a child process; it reports its port over the IPC channel.
 */
import { type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createPool } from '@roadmap/data-sql';
import { serviceUrl } from '@roadmap/kit';
import { createExpressServer } from '@roadmap/kit/express';
import { buildApp } from '../src/app';
import { serveStatsOverIpc } from './server-stats';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set (bench/run.ts sets it).');

const pool = createPool(databaseUrl, {
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
  applicationName: process.env.BENCH_APP_NAME ?? 'bench-api',
});
serveStatsOverIpc(pool);
// Why a key prefix of its own: the benchmark shares the Redis server with everything else
// running on this machine, and bench/run.ts deletes exactly these keys at the end.
const redis = new Redis(serviceUrl('redis'), {
  keyPrefix: process.env.BENCH_REDIS_PREFIX ?? 'test:bench:',
});
const { app, close } = buildApp({
  pool,
  redis,
  config: process.env.BENCH_CACHE === 'off' ? { CACHE_TTL_SECONDS: 0 } : {},
});

// The server src/main.ts gets from startHttpServer (requests born with Express's prototypes).
const server = createExpressServer(app).listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  void close().finally(() => {
    redis.disconnect();
    void pool.end().finally(() => process.exit(0));
  });
});

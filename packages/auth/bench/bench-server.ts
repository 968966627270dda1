// The server under benchmark, in its own process so the load generator does not share its
// event loop. Prints {"url": "..."} when it listens. GET /bench/loop returns (and resets) the
// event-loop delay percentiles measured inside the server since the last call.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import { Redis } from 'ioredis';
import { loadConfig } from '@roadmap/kit';
import { startHttpServer } from '@roadmap/kit/express';
import { createPool } from '@roadmap/data-sql';
import { authConfigShape } from '../src/config';
import { buildAuthApp } from '../src/express';

async function main() {
  const config = loadConfig(authConfigShape, {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
  });
  const pool = createPool(process.env.BENCH_DATABASE_URL!, { max: 10 });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: process.env.BENCH_REDIS_PREFIX,
  });
  const { app, health } = buildAuthApp({ pool, redis, config });

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const outer = express();
  outer.get('/bench/loop', (_req, res) => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    res.json({ p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) });
    loop.reset();
  });
  outer.use(app);

  const server = await startHttpServer({
    app: outer,
    health,
    port: 0,
    host: '127.0.0.1',
    name: 'auth-bench',
    closers: [
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.port}` })}\n`);
}
void main();

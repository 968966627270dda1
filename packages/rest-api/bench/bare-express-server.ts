/**
 * A decomposition point between the two ends of the benchmark: Express with nothing but the
 * one route (no helmet, CORS, rate limiter, request ids and logs, sessions, validation or
 * service layer) over the same repository call as raw-server.ts. Raw → bare Express shows
 * what the framework costs; bare Express → the real app shows what the middleware costs.
 * It is started the way most Express apps are, with `app.listen()`, so Express changes the
 * prototypes of every request and response (the real app's server avoids that: kit's
 * createExpressServer; see the README, "Where does a request's time go?").
 *
 * Started by bench/run.ts as a child process; it reports its port over the IPC channel.
 */
import { type AddressInfo } from 'node:net';
import express from 'express';
import { createPool, findArticleBySlug } from '@roadmap/data-sql';
import { serveStatsOverIpc } from './server-stats';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set (bench/run.ts sets it).');

const pool = createPool(databaseUrl, {
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
  applicationName: process.env.BENCH_APP_NAME ?? 'bench-bare',
});
serveStatsOverIpc(pool);
const app = express();
app.disable('x-powered-by');

app.get('/api/articles/:slug', async (req, res) => {
  const article = await findArticleBySlug(pool, req.params.slug, null);
  if (article) res.json({ article });
  else res.status(404).json({ errors: { article: ['not found'] } });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});

/**
 * The baseline of the benchmark: `node:http` and `pg`, nothing else. It answers
 * GET /api/articles/:slug with the very query the REST API runs (the data-sql repository
 * function), so the gap between this server and the Express one is what Express, the
 * middleware chain and the service layer cost, not a different query.
 *
 * Started by bench/run.ts as a child process (one process per server under test, so each one
 * has a core to itself while it is measured); it reports its port over the IPC channel.
 */
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { createPool, findArticleBySlug } from '@roadmap/data-sql';
import { serveStatsOverIpc } from './server-stats';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set (bench/run.ts sets it).');

const pool = createPool(databaseUrl, {
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
  applicationName: process.env.BENCH_APP_NAME ?? 'bench-raw',
});
serveStatsOverIpc(pool);
const ARTICLE_PATH = /^\/api\/articles\/([^/?]+)$/;

const server = http.createServer((req, res) => {
  const match = req.method === 'GET' ? ARTICLE_PATH.exec(req.url ?? '') : null;
  if (!match?.[1]) {
    send(res, 404, { errors: { route: ['not found'] } });
    return;
  }
  findArticleBySlug(pool, decodeURIComponent(match[1]), null).then(
    (article) => {
      if (article) send(res, 200, { article });
      else send(res, 404, { errors: { article: ['not found'] } });
    },
    () => send(res, 500, { errors: { body: ['internal server error'] } }),
  );
});

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});

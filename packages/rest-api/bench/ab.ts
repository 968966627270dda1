/**
 * `pnpm --filter @roadmap/rest-api exec tsx --conditions=@roadmap/source bench/ab.ts <other checkout>`
 * — an A/B comparison of one change: the REST API of this checkout (B) against the same server
 * from another checkout of the repository (A, e.g. a `git worktree` of main), both on one
 * freshly seeded database (300 articles), measured in turns: A, B, A, B… so that whatever else
 * the machine does falls on both alike. Prints the median Node CPU µs per request of each, per
 * path. On a busy machine this is the figure to trust for a change worth 10–30 µs, where the
 * full bench's throughput moves by more than that from one round to the next.
 *
 * Knobs: AB_ROUNDS (default 7), AB_SECONDS (per turn, default 2), AB_PATHS (comma-separated,
 * default the cached article and /api/tags), AB_CONNECTIONS (default 32).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrate } from '@roadmap/data-sql';
import { serviceUrl } from '@roadmap/kit';
import { createTestDatabase, deleteByPrefix } from '@roadmap/kit/testing';
import { seedBenchData } from './seed';
import type { ServerStats } from './server-stats';

const other = process.argv[2];
if (!other) {
  console.error('usage: tsx bench/ab.ts <path of the other checkout (A)>');
  process.exit(2);
}
const ROUNDS = Number(process.env.AB_ROUNDS ?? 7);
const SECONDS = Number(process.env.AB_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 32);

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  stats: () => Promise<ServerStats>;
}

function start(name: string, file: string, env: Record<string, string>): Promise<Server> {
  const child = fork(file, [], {
    env: { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.execArgv,
  });
  const waiters: ((stats: ServerStats) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (${String(code)})`)));
    child.on('message', (message: { type: string; port?: number } & ServerStats) => {
      if (message.type === 'listening' && message.port)
        resolve({
          name,
          url: `http://127.0.0.1:${message.port}`,
          child,
          stats: () =>
            new Promise((done) => {
              waiters.push(done);
              child.send({ type: 'stats' });
            }),
        });
      else if (message.type === 'stats') waiters.shift()?.(message);
    });
  });
}

async function turn(server: Server, url: string, seconds: number): Promise<number> {
  const before = await server.stats();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const after = await server.stats();
  const answered = result.requests.total;
  return answered > 0 ? (after.cpuMicros - before.cpuMicros) / answered : NaN;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  const redisPrefix = `test:bench:${randomBytes(4).toString('hex')}:`;
  const db = await createTestDatabase({
    name: 'bench_ab',
    setup: async (url) => void (await migrate(url)),
  });
  const servers: Server[] = [];
  try {
    await seedBenchData(db.url, 0.03);
    await db.pool.query('VACUUM ANALYZE');
    const { rows } = await db.pool.query<{ slug: string }>(
      'SELECT slug FROM articles ORDER BY favorites_count DESC, id LIMIT 1',
    );
    const slug = rows[0]?.slug ?? '';
    const paths = (process.env.AB_PATHS ?? `/api/articles/${slug},/api/tags`).split(',');
    const env = { BENCH_DATABASE_URL: db.url, BENCH_REDIS_PREFIX: redisPrefix };
    servers.push(
      await start(
        'A',
        path.join(path.resolve(other ?? '.'), 'packages/rest-api/bench/api-server.ts'),
        env,
      ),
      await start('B', path.join(__dirname, 'api-server.ts'), env),
    );
    for (const server of servers) for (const p of paths) await turn(server, `${server.url}${p}`, 1); // warm-up, fills the cache
    for (const p of paths) {
      const figures = new Map<string, number[]>(servers.map((s) => [s.name, []]));
      for (let round = 0; round < ROUNDS; round += 1)
        for (const server of round % 2 === 0 ? servers : [...servers].reverse())
          figures.get(server.name)?.push(await turn(server, `${server.url}${p}`, SECONDS));
      const [a = NaN, b = NaN] = servers.map((s) => median(figures.get(s.name) ?? []));
      console.log(
        `${p}: A ${a.toFixed(0)} µs/req, B ${b.toFixed(0)} µs/req (B − A ${(b - a).toFixed(0)}); ` +
          servers
            .map(
              (s) => `${s.name} ${(figures.get(s.name) ?? []).map((v) => v.toFixed(0)).join(' ')}`,
            )
            .join(' | '),
      );
    }
  } finally {
    for (const server of servers) server.child.kill();
    await db.drop();
    await deleteByPrefix(serviceUrl('redis'), redisPrefix);
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

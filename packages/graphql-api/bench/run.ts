/**
 * `pnpm --filter @roadmap/graphql-api bench` — the GraphQL stage's performance claims, side by
 * side in one run on the same seeded data (data-sql's `db:seed`):
 *
 *  - the REST API's `GET /api/articles?limit=20` (its src/main.ts, as `pnpm start` runs it);
 *  - the same 20 articles with authors, tags and the viewer's flags through GraphQL, with
 *    DataLoaders, and with the naive resolvers (same code, loaders that do not batch).
 *
 * Each server runs in a child process; autocannon drives the load from this one. First flat
 * out (the maximum), then at a fixed 70% of that maximum, where p50/p99 mean something (a
 * saturated server only measures its own queue). Short runs: the machine is shared.
 *
 * Why rounds, interleaved: on a shared machine other load comes and goes; measuring each server
 * once per round and keeping the median spreads that noise over all of them alike. The CPU
 * time a request costs in the server process (from /proc) hardly moves with outside load.
 *
 * Knobs: BENCH_SCALE (seed scale, default 0.2 = 2,000 articles), BENCH_DURATION (seconds per
 * measurement, default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import { serviceUrl } from '@roadmap/kit';
import { deleteByPrefix, requireServices } from '@roadmap/kit/testing';

const SCALE = Number(process.env.BENCH_SCALE ?? 0.2);
const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FIXED_RATE_SHARE = 0.7;
const run = promisify(execFile);

const QUERY = `query Home {
  articles(first: 20) {
    totalCount
    edges { node { slug title description tagList createdAt updatedAt favorited favoritesCount
                   author { username bio image following } } }
  }
}`;

interface Target {
  label: string;
  url: string;
  pid: number;
  request: Pick<autocannon.Options, 'method' | 'body' | 'headers'>;
}

interface Result {
  label: string;
  maxRps: number;
  /** Server-process CPU per request, in milliseconds (median of the rounds). */
  cpuMs: number;
  fixedRps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** Forks a TypeScript entry point with this process's loader (tsx, @roadmap/source). */
function spawnChild(file: string, env: Record<string, string>, children: Set<ChildProcess>) {
  const child = fork(file, [], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    execArgv: process.execArgv,
    cwd: path.dirname(path.dirname(file)),
  });
  children.add(child);
  return child;
}

async function startGraphql(
  env: Record<string, string>,
  children: Set<ChildProcess>,
): Promise<{ url: string; pid: number }> {
  const child = spawnChild(path.join(__dirname, 'server.ts'), env, children);
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { url: `http://127.0.0.1:${message.port}`, pid: child.pid! };
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), counted from after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
const TICKS_PER_SECOND = 100;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The REST API exactly as `pnpm start` runs it: its own src/main.ts, in its own process. */
async function startRest(env: Record<string, string>, children: Set<ChildProcess>) {
  const port = await freePort();
  const main = path.join(__dirname, '..', '..', 'rest-api', 'src', 'main.ts');
  const child = spawnChild(main, { ...env, PORT: String(port) }, children);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, pid: child.pid! };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the REST API did not start');
}

function load(target: Target, duration: number, overallRate?: number) {
  return autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration,
    overallRate,
    ...target.request,
  });
}

/** Flat out for DURATION seconds: requests per second, and server CPU per request. */
async function maximum(target: Target) {
  const before = cpuMsOf(target.pid);
  const result = await load(target, DURATION);
  const cpu = cpuMsOf(target.pid) - before;
  return {
    rps: result.requests.average,
    cpuMs: cpu / Math.max(1, result.requests.total),
    errors: result.errors + result.non2xx,
  };
}

async function measureAll(targets: Target[]): Promise<Result[]> {
  for (const target of targets) await load(target, 1); // warm-up: JIT, pool connections
  const runs = targets.map(() => [] as Awaited<ReturnType<typeof maximum>>[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) runs[i]!.push(await maximum(target));
  }
  const results: Result[] = [];
  for (const [i, target] of targets.entries()) {
    const maxRps = median(runs[i]!.map((r) => r.rps));
    const fixed = await load(target, DURATION, Math.max(1, Math.floor(maxRps * FIXED_RATE_SHARE)));
    results.push({
      label: target.label,
      maxRps,
      cpuMs: median(runs[i]!.map((r) => r.cpuMs)),
      fixedRps: fixed.requests.average,
      p50: fixed.latency.p50,
      p99: fixed.latency.p99,
      errors: runs[i]!.reduce((sum, r) => sum + r.errors, 0) + fixed.errors + fixed.non2xx,
    });
  }
  return results;
}

async function main(): Promise<void> {
  await requireServices(['postgres', 'redis']);
  const prefix = `test:bench-gql:${randomBytes(4).toString('hex')}:`;
  const db = await createMigratedTestDatabase('bench_gql');
  const children = new Set<ChildProcess>();
  try {
    console.log(`bench: seeding (scale ${SCALE})…`);
    await run(
      'pnpm',
      ['--silent', '--filter', '@roadmap/data-sql', 'db:seed', '--scale', String(SCALE)],
      {
        env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'development' },
        maxBuffer: 10 * 1024 * 1024,
      },
    );
    await db.pool.query('VACUUM ANALYZE');
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    const articles = rows[0]!.n;

    const env = { BENCH_DATABASE_URL: db.url, BENCH_REDIS_PREFIX: prefix };
    const graphql = await startGraphql(env, children);
    const naive = await startGraphql({ ...env, BENCH_NAIVE: '1' }, children);
    const rest = await startRest(
      {
        DATABASE_URL: db.url,
        REDIS_URL: serviceUrl('redis'),
        CACHE_TTL_SECONDS: '0',
        NODE_ENV: 'development',
      },
      children,
    );

    // A signed-in viewer who follows and favorites, so every flag is really computed.
    const registered = await fetch(`${graphql.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { register(input: { username: "bench${prefix.slice(-9, -1)}", email: "bench${prefix.slice(-9, -1)}@example.com", password: "bench password" }) { token username } }`,
      }),
    });
    const { data } = (await registered.json()) as {
      data: { register: { token: string; username: string } };
    };
    const viewer = data.register;
    await db.pool.query(
      `INSERT INTO follows (follower_id, followee_id)
       SELECT v.id, u.id FROM users v, users u WHERE v.username = $1 AND u.id <> v.id AND u.id % 3 = 0`,
      [viewer.username],
    );
    await db.pool.query(
      `INSERT INTO favorites (user_id, article_id)
       SELECT v.id, a.id FROM users v, articles a WHERE v.username = $1 AND a.id % 4 = 0`,
      [viewer.username],
    );
    const headers = { authorization: `Token ${viewer.token}`, 'content-type': 'application/json' };
    const graphqlRequest = {
      method: 'POST' as const,
      body: JSON.stringify({ query: QUERY }),
      headers,
    };
    const targets: Target[] = [
      {
        label: 'REST GET /api/articles?limit=20',
        url: `${rest.url}/api/articles?limit=20`,
        pid: rest.pid,
        request: { headers },
      },
      {
        label: 'GraphQL articles(first: 20), DataLoader',
        url: `${graphql.url}/graphql`,
        pid: graphql.pid,
        request: graphqlRequest,
      },
      {
        label: 'GraphQL articles(first: 20), naive resolvers',
        url: `${naive.url}/graphql`,
        pid: naive.pid,
        request: graphqlRequest,
      },
    ];
    // Same answer from every target, or the comparison means nothing.
    for (const target of targets) {
      const res = await fetch(target.url, target.request as RequestInit);
      const body = (await res.json()) as {
        articles?: unknown[];
        data?: { articles: { edges: unknown[] } };
      };
      const count = body.articles?.length ?? body.data?.articles.edges.length;
      if (res.status !== 200 || count !== 20)
        throw new Error(`${target.label}: ${res.status}, ${String(count)} articles`);
    }

    console.log(`bench: ${ROUNDS} rounds of ${targets.length} servers, ${DURATION} s each…`);
    const results = await measureAll(targets);
    const [restResult, loaderResult, naiveResult] = results as [Result, Result, Result];
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(`
${articles.toLocaleString('en-US')} articles seeded (scale ${SCALE}); ${CONNECTIONS} connections; ${DURATION} s per measurement; Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs (shared)

| server | max req/s | server CPU ms/req | at 70%: req/s | p50 ms | p99 ms | errors |
| --- | --: | --: | --: | --: | --: | --: |
${results.map((r) => `| ${r.label} | ${r.maxRps.toFixed(0)} | ${r.cpuMs.toFixed(2)} | ${r.fixedRps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`).join('\n')}

GraphQL (DataLoader) / REST: ${ratio(loaderResult.maxRps, restResult.maxRps)} throughput, ${ratio(restResult.cpuMs, loaderResult.cpuMs)} by CPU per request
DataLoader / naive: ${ratio(loaderResult.maxRps, naiveResult.maxRps)} throughput, ${ratio(naiveResult.cpuMs, loaderResult.cpuMs)} by CPU per request
load average at the end: ${(await import('node:os'))
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`);
  } finally {
    for (const child of children) child.kill();
    await db.drop();
    await deleteByPrefix(serviceUrl('redis'), prefix);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

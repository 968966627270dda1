/**
 * `pnpm --filter @roadmap/rest-api bench` — the performance claims of the REST API stage,
 * measured side by side in one run on the same seeded data:
 *
 *  1. GET /api/articles/:slug from a raw `node:http` + `pg` server (the baseline), from a bare
 *     Express route over the same query (to split the gap into framework and middleware),
 *     and from the REST API with the cache off and with the Redis cache on; first flat out
 *     (the maximum throughput), then at a fixed rate of 70% of that maximum, where latency
 *     percentiles mean something (a saturated server only measures its queue). For each, the
 *     CPU a request costs in Node and in PostgreSQL, which other load on the machine hardly
 *     moves.
 *  2. SQL round trips per request of GET /api/articles at several page sizes.
 *
 * Each server runs in its own child process; autocannon drives the load from this process.
 * Every measurement is taken in two CPU layouts (cpu-layout.ts): `shared`, where everything
 * competes for every core, and `isolated`, where the server under test has core 0 to itself
 * and the load generator and PostgreSQL run on the others. Figures go to bench/RESULTS.md.
 *
 * Knobs (environment): BENCH_SCALE (data-sql seed scale, default 10: 100k articles, 1M
 * favorites), BENCH_DURATION (seconds per measurement, default 10), BENCH_ROUNDS (default 5),
 * BENCH_CONNECTIONS (default 10), BENCH_POOL_SIZE (default 10), BENCH_LAYOUTS (default
 * `isolated,shared`), BENCH_CPU_PROF (a folder: the servers write V8 CPU profiles there).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrate } from '@roadmap/data-sql';
import { serviceUrl } from '@roadmap/kit';
import {
  createTestDatabase,
  deleteByPrefix,
  requireServices,
  type TestDatabase,
} from '@roadmap/kit/testing';
import { isolatedCpuSets, pin, type CpuSets, type Layout } from './cpu-layout';
import { backendPids, cpuBetween, postgresCpu } from './postgres-cpu';
import { seedBenchData } from './seed';
import type { ServerStats } from './server-stats';

const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const FIXED_RATE_SHARE = 0.7;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOAD_AT_START = os.loadavg();
const ROUND_TRIP_SAMPLES = 50;
const LAYOUTS = (process.env.BENCH_LAYOUTS ?? 'isolated,shared')
  .split(',')
  .map((layout) => layout.trim())
  .filter((layout): layout is Layout => {
    if (layout === 'isolated' || layout === 'shared') return true;
    throw new Error(`BENCH_LAYOUTS: unknown layout "${layout}" (isolated, shared)`);
  });
const CPU_SETS = isolatedCpuSets();

interface Target {
  id: 'raw' | 'bare' | 'uncached' | 'cached';
  label: string;
  file: string;
  env: Record<string, string>;
}

interface Started {
  target: Target;
  child: ChildProcess;
  url: string;
  /** The child's SQL query count and CPU time so far. */
  stats: () => Promise<ServerStats>;
}

interface Measured {
  layout: Layout;
  id: Target['id'];
  label: string;
  /** Median of the rounds. */
  maxRps: number;
  maxRuns: number[];
  fixedRate: number;
  fixedRps: number;
  p50: number;
  p99: number;
  queriesPerRequest: number;
  /** CPU microseconds per request in the server process, and in its PostgreSQL backends. */
  nodeCpu: number;
  postgresCpu: number | null;
  errors: number;
}

async function main(): Promise<void> {
  await requireServices(['postgres', 'redis']);
  const redisPrefix = `test:bench:${randomBytes(4).toString('hex')}:`;
  console.log(`bench: seeding a fresh database (scale ${SCALE})…`);
  const db = await createTestDatabase({
    name: 'bench',
    setup: async (url) => void (await migrate(url)),
  });
  const children = new Set<ChildProcess>();
  const cleanup = async () => {
    for (const child of children) child.kill();
    await db.drop();
    await deleteByPrefix(serviceUrl('redis'), redisPrefix);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const seeded = await seedBenchData(db.url, SCALE);
    // Why: a bulk load leaves no planner statistics and no visibility map; autovacuum would
    // catch up in the middle of the measurements and steal CPU from them.
    await db.pool.query('VACUUM ANALYZE');
    const samples = await pickSamples(db);
    const { slug } = samples;
    console.log(`bench: ${seeded}; measuring GET /api/articles/${slug}`);

    const env = {
      BENCH_DATABASE_URL: db.url,
      BENCH_POOL_SIZE: String(POOL_SIZE),
      BENCH_REDIS_PREFIX: redisPrefix,
    };
    const targets: Target[] = [
      { id: 'raw', label: 'raw node:http + pg (baseline)', file: 'raw-server.ts', env },
      {
        id: 'bare',
        label: 'bare Express + pg (one route, no middleware)',
        file: 'bare-express-server.ts',
        env,
      },
      {
        id: 'uncached',
        label: 'the REST API, cache off',
        file: 'api-server.ts',
        env: { ...env, BENCH_CACHE: 'off' },
      },
      {
        id: 'cached',
        label: 'the REST API, Redis cache',
        file: 'api-server.ts',
        env: { ...env, BENCH_CACHE: 'on' },
      },
    ];
    const servers: Started[] = [];
    for (const target of targets) servers.push(await start(target, children));
    const layouts = LAYOUTS.filter((layout) => {
      if (layout === 'isolated' && 'unavailable' in CPU_SETS) {
        console.log(`bench: isolated layout skipped: ${CPU_SETS.unavailable}`);
        return false;
      }
      return true;
    });
    const results = await measureAll(servers, slug, db, layouts);

    const roundTrips = await measureRoundTrips(
      servers.find((server) => server.target.id === 'uncached')!,
      samples,
    );
    for (const server of servers) await stop(server, children);

    const report = render(results, layouts, roundTrips, seeded, slug);
    console.log(`\n${report}`);
    const resultsFile = path.join(__dirname, 'RESULTS.md');
    writeFileSync(resultsFile, report);
    // The repository's format check covers Markdown too; align the tables the way it wants.
    execFileSync('pnpm', ['exec', 'prettier', '--write', resultsFile], { stdio: 'ignore' });
    console.log('bench: written to bench/RESULTS.md');
  } finally {
    await cleanup();
  }
}

interface Samples {
  /** The most favorited article that has tags. */
  slug: string;
  /** Its author, the most used tag, and the user with the most favorites: list filters. */
  author: string;
  tag: string;
  favoritedBy: string;
}

async function pickSamples(db: TestDatabase): Promise<Samples> {
  const { rows } = await db.pool.query<Samples>(
    `SELECT a.slug, u.username AS author,
            (SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id
              GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT 1) AS tag,
            (SELECT fu.username FROM favorites f JOIN users fu ON fu.id = f.user_id
              GROUP BY fu.username ORDER BY count(*) DESC, fu.username LIMIT 1) AS "favoritedBy"
       FROM articles a JOIN users u ON u.id = a.author_id
      WHERE EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id)
      ORDER BY a.favorites_count DESC, a.id LIMIT 1`,
  );
  const samples = rows[0];
  if (!samples?.tag || !samples.favoritedBy)
    throw new Error('the seed produced no tagged, favorited article');
  return samples;
}

function start(target: Target, children: Set<ChildProcess>): Promise<Started> {
  // Why fork inherits execArgv: this process runs under tsx with the @roadmap/source
  // condition, and the child needs the same loader to import TypeScript workspace sources.
  const child = fork(path.join(__dirname, target.file), [], {
    env: { ...process.env, LOG_LEVEL: 'warn', BENCH_APP_NAME: appName(target), ...target.env },
    execArgv: process.env.BENCH_CPU_PROF
      ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : process.execArgv,
  });
  children.add(child);
  const waiters: ((stats: ServerStats) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${target.label} exited with code ${String(code)} before listening`)),
    );
    child.on('message', (message: { type: string; port?: number } & ServerStats) => {
      if (message.type === 'listening' && message.port) {
        resolve({
          target,
          child,
          url: `http://127.0.0.1:${message.port}`,
          stats: () =>
            new Promise((done) => {
              waiters.push(done);
              child.send({ type: 'stats' });
            }),
        });
      }
      if (message.type === 'stats') waiters.shift()?.(message);
    });
  });
}

/** The pool's application_name: how postgresCpu() finds this server's backends. */
const appName = (target: Target) => `bench_${target.id}`;

/** Disconnecting lets the child close its server and pool and exit on its own. */
async function stop(server: Started, children: Set<ChildProcess>): Promise<void> {
  const { child } = server;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  const timer = setTimeout(() => child.kill(), 5_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

async function load(
  url: string,
  options: { duration: number; overallRate?: number },
): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: options.duration,
    overallRate: options.overallRate,
  });
}

/**
 * Puts one server in a layout for one measurement and returns how to undo it. First one
 * second of load, in both layouts alike: it re-opens the pool connections that the pool's
 * idle timeout closed while other servers were measured (a backend must exist to be pinned).
 */
async function place(
  server: Started,
  url: string,
  layout: Layout,
  db: TestDatabase,
): Promise<() => Promise<void>> {
  await load(url, { duration: 1 });
  if (layout === 'shared' || 'unavailable' in CPU_SETS) return async () => {};
  const sets: CpuSets = CPU_SETS;
  const application = appName(server.target);
  pin(server.child.pid!, sets.server);
  pin(process.pid, sets.rest);
  for (const pid of await backendPids(db.pool, application)) pin(pid, sets.rest);
  return async () => {
    pin(server.child.pid!, sets.all);
    pin(process.pid, sets.all);
    for (const pid of await backendPids(db.pool, application)) pin(pid, sets.all);
  };
}

/**
 * Why rounds, interleaved: other processes on the machine come and go, so servers measured
 * one after the other would each meet a different background load. Taking turns (raw, bare,
 * uncached, cached, in each layout, then again) and keeping each one's median spreads that
 * noise evenly.
 */
async function measureAll(
  servers: Started[],
  slug: string,
  db: TestDatabase,
  layouts: Layout[],
): Promise<Measured[]> {
  const urls = servers.map((server) => `${server.url}/api/articles/${slug}`);
  console.log(`bench: warm-up, 3s each`);
  for (const url of urls) await load(url, { duration: 3 });

  interface Total {
    rps: number[];
    requests: number;
    queries: number;
    nodeCpu: number;
    /** null when PostgreSQL does not run on this machine. */
    postgresCpu: number | null;
    errors: number;
  }
  const totals = new Map<string, Total>();
  const key = (layout: Layout, i: number) => `${layout}:${i}`;
  for (const layout of layouts)
    for (const i of servers.keys())
      totals.set(key(layout, i), {
        rps: [],
        requests: 0,
        queries: 0,
        nodeCpu: 0,
        postgresCpu: 0,
        errors: 0,
      });

  for (let round = 1; round <= ROUNDS; round++) {
    for (const layout of layouts) {
      for (const [i, server] of servers.entries()) {
        const release = await place(server, urls[i]!, layout, db);
        const before = {
          node: await server.stats(),
          pg: await postgresCpu(db.pool, appName(server.target)),
        };
        const result = await load(urls[i]!, { duration: DURATION });
        const after = {
          node: await server.stats(),
          pg: await postgresCpu(db.pool, appName(server.target)),
        };
        await release();
        const total = totals.get(key(layout, i))!;
        const pg = cpuBetween(before.pg, after.pg);
        total.rps.push(result.requests.average);
        total.requests += result.requests.total;
        total.queries += after.node.queries - before.node.queries;
        total.nodeCpu += after.node.cpuMicros - before.node.cpuMicros;
        total.postgresCpu =
          total.postgresCpu === null || pg === null ? null : total.postgresCpu + pg;
        total.errors += result.errors + result.non2xx;
        console.log(
          `bench: round ${round}/${ROUNDS}, ${layout}, ${server.target.label}: ${fmt(result.requests.average)} req/s flat out`,
        );
      }
    }
  }

  const measured: Measured[] = [];
  for (const layout of layouts) {
    for (const [i, server] of servers.entries()) {
      const total = totals.get(key(layout, i))!;
      const requests = Math.max(1, total.requests);
      const maxRps = median(total.rps);
      const fixedRate = Math.max(1, Math.round(maxRps * FIXED_RATE_SHARE));
      const release = await place(server, urls[i]!, layout, db);
      const fixed = await load(urls[i]!, { duration: DURATION, overallRate: fixedRate });
      await release();
      console.log(
        `bench: ${layout}, ${server.target.label} at ${fmt(fixedRate)} req/s: p50 ${fmt(fixed.latency.p50, 1)} ms, p99 ${fmt(fixed.latency.p99, 1)} ms`,
      );
      measured.push({
        layout,
        id: server.target.id,
        label: server.target.label,
        maxRps,
        maxRuns: total.rps,
        fixedRate,
        fixedRps: fixed.requests.average,
        p50: fixed.latency.p50,
        p99: fixed.latency.p99,
        queriesPerRequest: total.queries / requests,
        nodeCpu: total.nodeCpu / requests,
        postgresCpu: total.postgresCpu === null ? null : total.postgresCpu / requests,
        errors: total.errors + fixed.errors + fixed.non2xx,
      });
    }
  }
  return measured;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface RoundTrips {
  label: string;
  perRequest: number;
}

/** Sequential requests, so the count covers exactly these requests' queries. */
async function measureRoundTrips(server: Started, samples: Samples): Promise<RoundTrips[]> {
  const token = await registerViewer(server.url);
  const cases: { query: string; signedIn?: boolean }[] = [
    { query: 'limit=1' },
    { query: 'limit=20' },
    { query: 'limit=100' },
    { query: `limit=20&tag=${encodeURIComponent(samples.tag)}` },
    { query: `limit=20&author=${encodeURIComponent(samples.author)}` },
    { query: `limit=20&favorited=${encodeURIComponent(samples.favoritedBy)}` },
    { query: 'limit=20&offset=40', signedIn: true },
  ];
  const results: RoundTrips[] = [];
  for (const { query, signedIn } of cases) {
    const url = `${server.url}/api/articles?${query}`;
    const headers = signedIn ? { authorization: `Token ${token}` } : undefined;
    const before = await server.stats();
    for (let i = 0; i < ROUND_TRIP_SAMPLES; i++) {
      const res = await fetch(url, { headers });
      if (res.status !== 200)
        throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
    const label = `\`?${query}\`${signedIn ? ' (signed in)' : ''}`;
    const after = await server.stats();
    results.push({ label, perRequest: (after.queries - before.queries) / ROUND_TRIP_SAMPLES });
  }
  return results;
}

async function registerViewer(baseUrl: string): Promise<string> {
  const name = `bench${randomBytes(4).toString('hex')}`;
  const res = await fetch(`${baseUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user: { username: name, email: `${name}@example.com`, password: 'bench-password-1' },
    }),
  });
  const body = (await res.json()) as { user?: { token?: string } };
  if (res.status !== 201 || !body.user?.token)
    throw new Error(`registering the bench viewer answered ${res.status}`);
  return body.user.token;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The command as run, with any BENCH_* knobs that were set. */
function command(): string {
  const knobs = Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_'))
    .map(([key, value]) => `${key}=${value ?? ''} `)
    .join('');
  return `${knobs}pnpm --filter @roadmap/rest-api bench`;
}

const LAYOUT_TITLES: Record<Layout, string> = {
  isolated:
    'isolated layout: the server has core 0 to itself; autocannon and PostgreSQL run on the other cores',
  shared:
    'shared layout: nothing pinned; server, PostgreSQL, Redis and autocannon compete for every core',
};

function render(
  results: Measured[],
  layouts: Layout[],
  roundTrips: RoundTrips[],
  seeded: string,
  slug: string,
): string {
  const find = (layout: Layout, id: Target['id']) =>
    results.find((r) => r.layout === layout && r.id === id)!;
  const worstList = Math.max(...roundTrips.map((r) => r.perRequest));
  const cpu = (r: Measured) => r.nodeCpu + (r.postgresCpu ?? 0);
  /** The share of one core the process used while flat out. */
  const busy = (cpuMicros: number | null, rps: number) =>
    cpuMicros === null ? 'n/a' : `${fmt((cpuMicros * rps) / 1e4)}%`;
  const verdict = (ok: boolean) => (ok ? 'pass' : '**FAIL**');
  const ratio = (layout: Layout, top: Target['id'], bottom: Target['id'], target: number) => {
    const value = find(layout, top).maxRps / find(layout, bottom).maxRps;
    return `${fmt(value, 2)} ${verdict(value >= target)}`;
  };
  const table = (layout: Layout) => [
    `### ${LAYOUT_TITLES[layout]}`,
    '',
    `| server | max req/s (median) | rounds | fixed rate (${FIXED_RATE_SHARE * 100}%) | p50 ms | p99 ms | SQL queries / req | Node CPU µs / req | PostgreSQL CPU µs / req | Node busy (of one core) | PostgreSQL busy (of one core) | errors |`,
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results
      .filter((r) => r.layout === layout)
      .map(
        (r) =>
          `| ${r.label} | ${fmt(r.maxRps)} | ${r.maxRuns.map((rps) => fmt(rps)).join(' / ')} | ${fmt(r.fixedRate)} req/s (got ${fmt(r.fixedRps)}) | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.queriesPerRequest, 2)} | ${fmt(r.nodeCpu)} | ${r.postgresCpu === null ? 'n/a' : fmt(r.postgresCpu)} | ${busy(r.nodeCpu, r.maxRps)} | ${busy(r.postgresCpu, r.maxRps)} | ${r.errors} |`,
      ),
    '',
  ];
  const skipped =
    !layouts.includes('isolated') && 'unavailable' in CPU_SETS
      ? [`- The isolated layout was not measured: ${CPU_SETS.unavailable}.`]
      : [];
  const decomposition = (layout: Layout) => {
    const [raw, bare, uncached, cached] = (['raw', 'bare', 'uncached', 'cached'] as const).map(
      (id) => find(layout, id),
    ) as [Measured, Measured, Measured, Measured];
    return [
      `- ${layout}: bare Express / raw = ${fmt(bare.maxRps / raw.maxRps, 2)} in throughput, ${fmt(bare.nodeCpu - raw.nodeCpu)} µs more Node CPU per request (the framework); REST API uncached / bare Express = ${fmt(uncached.maxRps / bare.maxRps, 2)}, ${fmt(uncached.nodeCpu - bare.nodeCpu)} µs more (the middleware and service layer). CPU per request, Node + PostgreSQL: raw ${fmt(cpu(raw))} µs, REST API uncached ${fmt(cpu(uncached))} µs, cached ${fmt(cpu(cached))} µs (raw / uncached = ${fmt(cpu(raw) / cpu(uncached), 2)}).`,
    ];
  };
  return [
    '# REST API benchmark results',
    '',
    `Generated by \`${command()}\` (bench/run.ts); rerun to refresh.`,
    '',
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z`,
    `- Data: ${seeded} (BENCH_SCALE=${SCALE}); article \`${slug}\``,
    `- Load: autocannon, ${CONNECTIONS} connections, ${DURATION}s per measurement after a 3s warm-up (and 1s before each measurement), ${ROUNDS} interleaved rounds flat out (median kept), then one run at ${FIXED_RATE_SHARE * 100}% of that median; pool size ${POOL_SIZE}; servers log at \`warn\``,
    `- Load average when the run started: ${LOAD_AT_START.map((n) => n.toFixed(2)).join(' / ')} (other processes on the machine skew absolute figures; the ratios are the point)`,
    ...skipped,
    '',
    '## GET /api/articles/:slug',
    '',
    ...layouts.flatMap(table),
    '## Claims',
    '',
    `| claim | target | ${layouts.join(' | ')} |`,
    `|---|---:|${layouts.map(() => '---:').join('|')}|`,
    `| REST API uncached / raw baseline | ≥ 0.75 | ${layouts.map((l) => ratio(l, 'uncached', 'raw', 0.75)).join(' | ')} |`,
    `| REST API cached / REST API uncached | ≥ 2 | ${layouts.map((l) => ratio(l, 'cached', 'uncached', 2)).join(' | ')} |`,
    `| GET /api/articles, SQL round trips per request (worst case below) | ≤ 2 | ${layouts.map(() => `${fmt(worstList, 2)} ${verdict(worstList <= 2)}`).join(' | ')} |`,
    '',
    'Where the uncached gap comes from (a decomposition, not a claim):',
    '',
    ...layouts.flatMap(decomposition),
    '',
    '## GET /api/articles — SQL round trips per request',
    '',
    `Counted on the pool's connections over ${ROUND_TRIP_SAMPLES} sequential requests each (the REST API, cache off).`,
    '',
    '| query | round trips / request |',
    '|---|---:|',
    ...roundTrips.map((r) => `| ${r.label} | ${fmt(r.perRequest, 2)} |`),
    '',
    '## How to read this',
    '',
    '- **The two layouts answer different questions.** _Isolated_ is the layout of HTTP benchmarks run on separate machines (load generator, app server, database), scaled down: a server is limited by its own core or by the database, whichever gives out first, so the ratio says whether the server keeps pace with the database. The raw baseline usually leaves most of its core idle there (see "Node busy"): it waits for PostgreSQL and autocannon on the other core. _Shared_ puts everything on the same cores, so throughput follows the total CPU a request costs, and the ratio measures what Express and the middleware cost in CPU.',
    `- **max req/s**: ${CONNECTIONS} connections kept busy, each sending its next request as soon as the last one is answered: the capacity of the server in that layout.`,
    `- **p50 / p99**: measured at ${FIXED_RATE_SHARE * 100}% of that capacity. A saturated server's latency only measures the length of its queue; with headroom it measures the work.`,
    "- **SQL queries / request**: counted on the pool's connections during the flat-out rounds; 0 on the cached line means Redis answered every request.",
    '- **CPU µs / request**: the server process (`process.cpuUsage()`) and the PostgreSQL backends of its pool (`/proc/<pid>/stat`), over the flat-out rounds, divided by the requests answered. **busy**: that CPU times the median throughput, as a share of one core (an estimate: it can pass 100% when the rounds differ, or when a process also uses a second core in the shared layout).',
    '- Where the Node CPU goes: `BENCH_CPU_PROF=/tmp/prof pnpm --filter @roadmap/rest-api bench` makes every server write a V8 CPU profile there; open one in Chrome DevTools (Performance tab) or VS Code.',
    '- The load comes from 127.0.0.1, which the rate limiter exempts by default (`RATE_LIMIT_EXEMPT`), so its Redis round trip per request is not in these figures; request logs are at `warn`, so no log line per request either. Redis is never pinned.',
    '- PostgreSQL, Redis, the server and autocannon share one machine: absolute figures are low, the ratios are what carries over to other machines.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

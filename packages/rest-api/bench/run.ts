/**
 * `pnpm --filter @roadmap/rest-api bench` — the performance claims of the REST API stage,
 * measured side by side in one run:
 *
 *  - the calibration: a bare `node:http` server answering fixed JSON. Every throughput is also
 *    given as a multiple of it ("× calibration"), which normalises the machine and its load;
 *  - GET /api/articles/:slug from a raw `node:http` + `pg` server (the baseline), from a bare
 *    Express route over the same query (to split the gap into framework and middleware), and
 *    from the REST API with the cache off and with the Redis cache on;
 *  - GET /api/tags (cached) and GET /api/articles?limit=20 (never cached) from the REST API;
 *  - SQL round trips per request of GET /api/articles at several page sizes.
 *
 * Each case is measured flat out (the maximum throughput), then at a fixed rate of 70% of that
 * maximum, where latency percentiles mean something (a saturated server only measures its
 * queue). For each, the CPU a request costs in Node and in PostgreSQL, which other load on the
 * machine hardly moves.
 *
 * Two configurations (BENCH_CONFIGS, default both):
 *  - `realistic`: 100k articles (BENCH_SCALE), 10 connections, layouts isolated and shared;
 *  - `hot`: 300 articles, 32 connections, layouts shared and isolated — a small, hot data set
 *    where the per-request cost of the Node side dominates.
 * Layouts (cpu-layout.ts): `shared`, where everything competes for every core, and `isolated`,
 * where the server under test has core 0 to itself and the load generator and PostgreSQL run
 * on the others. Each server runs in its own child process; autocannon drives the load from
 * this process. Figures go to bench/RESULTS.md.
 *
 * Knobs (environment): BENCH_QUICK=1 (the `hot` configuration, 3s × 2 rounds, no fixed-rate
 * pass: about two minutes), BENCH_CONFIGS (`realistic,hot`), BENCH_SCALE (seed scale of
 * `realistic`, default 10), BENCH_DURATION (seconds per measurement, default 10),
 * BENCH_ROUNDS (default 5), BENCH_POOL_SIZE (default 10), BENCH_LAYOUTS (overrides the
 * layouts of every configuration), BENCH_CASES (a subset of the case ids below),
 * BENCH_CPU_PROF (a folder: the servers write V8 CPU profiles there), BENCH_LOG_LEVEL
 * (the servers' LOG_LEVEL, default warn; `info` prices a log line per request).
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

const QUICK = process.env.BENCH_QUICK === '1';
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 3 : 10));
const WARM_UP = QUICK ? 1 : 3;
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const FIXED_RATE_SHARE = 0.7;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const FIXED_RATE = !QUICK;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 5));
const LOAD_AT_START = os.loadavg();
const ROUND_TRIP_SAMPLES = 50;
const CPU_SETS = isolatedCpuSets();

interface Config {
  id: 'realistic' | 'hot';
  title: string;
  scale: number;
  connections: number;
  layouts: Layout[];
}

const parseLayouts = (value: string): Layout[] =>
  value
    .split(',')
    .map((layout) => layout.trim())
    .filter((layout): layout is Layout => {
      if (layout === 'isolated' || layout === 'shared') return true;
      throw new Error(`BENCH_LAYOUTS: unknown layout "${layout}" (isolated, shared)`);
    });
const LAYOUT_OVERRIDE = process.env.BENCH_LAYOUTS ? parseLayouts(process.env.BENCH_LAYOUTS) : null;

const ALL_CONFIGS: Config[] = [
  {
    id: 'realistic',
    title: `realistic: seed scale ${SCALE}, 10 connections`,
    scale: SCALE,
    connections: 10,
    layouts: ['isolated', 'shared'],
  },
  {
    id: 'hot',
    title: 'hot: 300 articles, 32 connections',
    scale: 0.03,
    connections: 32,
    layouts: ['shared', 'isolated'],
  },
];
const CONFIGS = (process.env.BENCH_CONFIGS ?? (QUICK ? 'hot' : 'realistic,hot'))
  .split(',')
  .map((id) => {
    const config = ALL_CONFIGS.find((c) => c.id === id.trim());
    if (!config) throw new Error(`BENCH_CONFIGS: unknown configuration "${id}" (realistic, hot)`);
    return { ...config, layouts: LAYOUT_OVERRIDE ?? config.layouts };
  });

interface Target {
  id: 'calibration' | 'raw' | 'bare' | 'uncached' | 'cached';
  label: string;
  file: string;
  env: Record<string, string>;
}

type CaseId = 'calibration' | 'raw' | 'bare' | 'uncached' | 'cached' | 'tags' | 'list';

/** One measured line: a server and the path the load asks it for. */
interface Case {
  id: CaseId;
  label: string;
  server: Target['id'];
  path: (samples: Samples) => string;
}

const article = (samples: Samples) => `/api/articles/${samples.slug}`;
const ALL_CASES: Case[] = [
  {
    id: 'calibration',
    label: 'node:http, fixed JSON (calibration)',
    server: 'calibration',
    path: () => '/',
  },
  { id: 'raw', label: 'article: raw node:http + pg (baseline)', server: 'raw', path: article },
  {
    id: 'bare',
    label: 'article: bare Express + pg (no middleware, `app.listen`)',
    server: 'bare',
    path: article,
  },
  { id: 'uncached', label: 'article: REST API, cache off', server: 'uncached', path: article },
  { id: 'cached', label: 'article: REST API, cached', server: 'cached', path: article },
  {
    id: 'tags',
    label: 'GET /api/tags: REST API, cached',
    server: 'cached',
    path: () => '/api/tags',
  },
  {
    id: 'list',
    label: 'GET /api/articles?limit=20: REST API (never cached)',
    server: 'uncached',
    path: () => '/api/articles?limit=20',
  },
];
const CASES = process.env.BENCH_CASES
  ? ALL_CASES.filter((c) => process.env.BENCH_CASES!.split(',').includes(c.id))
  : ALL_CASES;

interface Started {
  target: Target;
  child: ChildProcess;
  url: string;
  /** The child's SQL query count and CPU time so far. */
  stats: () => Promise<ServerStats>;
}

interface Measured {
  config: Config['id'];
  layout: Layout;
  id: CaseId;
  label: string;
  /** Median of the rounds. */
  maxRps: number;
  maxRuns: number[];
  fixed: { rate: number; rps: number; p50: number; p99: number } | null;
  queriesPerRequest: number;
  /** CPU microseconds per request in the server process, and in its PostgreSQL backends. */
  nodeCpu: number;
  postgresCpu: number | null;
  errors: number;
}

interface ConfigResult {
  config: Config;
  seeded: string;
  slug: string;
  layouts: Layout[];
  measured: Measured[];
  roundTrips: RoundTrips[];
}

async function main(): Promise<void> {
  await requireServices(['postgres', 'redis']);
  console.log(
    `bench: load average ${LOAD_AT_START.map((n) => n.toFixed(2)).join(' / ')}; configurations ${CONFIGS.map((c) => c.id).join(', ')}${QUICK ? ' (quick)' : ''}`,
  );
  const results: ConfigResult[] = [];
  for (const config of CONFIGS) results.push(await runConfig(config));
  const report = render(results);
  console.log(`\n${report}`);
  const resultsFile = path.join(__dirname, 'RESULTS.md');
  writeFileSync(resultsFile, report);
  // The repository's format check covers Markdown too; align the tables the way it wants.
  execFileSync('pnpm', ['exec', 'prettier', '--write', resultsFile], { stdio: 'ignore' });
  console.log('bench: written to bench/RESULTS.md');
}

async function runConfig(config: Config): Promise<ConfigResult> {
  const redisPrefix = `test:bench:${randomBytes(4).toString('hex')}:`;
  console.log(`bench: [${config.id}] seeding a fresh database (scale ${config.scale})…`);
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
  const onSigint = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSigint);
  try {
    const seeded = await seedBenchData(db.url, config.scale);
    // Why: a bulk load leaves no planner statistics and no visibility map; autovacuum would
    // catch up in the middle of the measurements and steal CPU from them.
    await db.pool.query('VACUUM ANALYZE');
    const samples = await pickSamples(db);
    console.log(`bench: [${config.id}] ${seeded}; article ${samples.slug}`);

    const env = {
      BENCH_DATABASE_URL: db.url,
      BENCH_POOL_SIZE: String(POOL_SIZE),
      BENCH_REDIS_PREFIX: redisPrefix,
    };
    const targets: Target[] = [
      { id: 'calibration', label: 'calibration', file: 'calibration-server.ts', env: {} },
      { id: 'raw', label: 'raw node:http + pg', file: 'raw-server.ts', env },
      { id: 'bare', label: 'bare Express + pg', file: 'bare-express-server.ts', env },
      {
        id: 'uncached',
        label: 'REST API, cache off',
        file: 'api-server.ts',
        env: { ...env, BENCH_CACHE: 'off' },
      },
      {
        id: 'cached',
        label: 'REST API, cache on',
        file: 'api-server.ts',
        env: { ...env, BENCH_CACHE: 'on' },
      },
    ];
    const needed = new Set(CASES.map((c) => c.server));
    if (CASES.some((c) => c.id === 'list')) needed.add('uncached');
    const servers = new Map<Target['id'], Started>();
    for (const target of targets)
      if (needed.has(target.id)) servers.set(target.id, await start(target, children));
    const layouts = config.layouts.filter((layout) => {
      if (layout === 'isolated' && 'unavailable' in CPU_SETS) {
        console.log(`bench: isolated layout skipped: ${CPU_SETS.unavailable}`);
        return false;
      }
      return true;
    });
    const measured = await measureAll(config, servers, samples, db, layouts);
    const uncached = servers.get('uncached');
    const roundTrips = uncached ? await measureRoundTrips(uncached, samples) : [];
    for (const server of servers.values()) {
      // Why: divide a CPU profile's time by this to get µs per request (bench/profile-top.ts).
      if (process.env.BENCH_CPU_PROF)
        console.log(
          `bench: [${config.id}] ${server.target.label} (pid ${server.child.pid}) answered ${answered.get(server.url) ?? 0} requests under load`,
        );
      await stop(server, children);
    }
    return { config, seeded, slug: samples.slug, layouts, measured, roundTrips };
  } finally {
    process.removeListener('SIGINT', onSigint);
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
    env: { ...process.env, LOG_LEVEL: LOG_LEVEL, BENCH_APP_NAME: appName(target), ...target.env },
    // Why stdout to /dev/null: at `info` every request writes a log line; the write is the
    // cost being measured, printing it here would only flood the terminal.
    stdio: ['ignore', LOG_LEVEL === 'warn' ? 'inherit' : 'ignore', 'inherit', 'ipc'],
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

/** Requests answered per server (origin), warm-ups included: what a CPU profile covers. */
const answered = new Map<string, number>();

async function load(
  url: string,
  options: { duration: number; connections: number; overallRate?: number },
): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    overallRate: options.overallRate,
  });
  const origin = new URL(url).origin;
  answered.set(origin, (answered.get(origin) ?? 0) + result.requests.total);
  return result;
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
  connections: number,
): Promise<() => Promise<void>> {
  await load(url, { duration: 1, connections });
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
 * Why rounds, interleaved: other processes on the machine come and go, so cases measured one
 * after the other would each meet a different background load. Taking turns (every case, in
 * each layout, then again) and keeping each one's median spreads that noise evenly.
 */
async function measureAll(
  config: Config,
  servers: Map<Target['id'], Started>,
  samples: Samples,
  db: TestDatabase,
  layouts: Layout[],
): Promise<Measured[]> {
  const cases = CASES.map((c) => {
    const server = servers.get(c.server)!;
    return { ...c, server, url: `${server.url}${c.path(samples)}` };
  });
  const connections = config.connections;
  console.log(`bench: [${config.id}] warm-up, ${WARM_UP}s each`);
  for (const c of cases) await load(c.url, { duration: WARM_UP, connections });

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
  const key = (layout: Layout, id: CaseId) => `${layout}:${id}`;
  for (const layout of layouts)
    for (const c of cases)
      totals.set(key(layout, c.id), {
        rps: [],
        requests: 0,
        queries: 0,
        nodeCpu: 0,
        postgresCpu: 0,
        errors: 0,
      });

  for (let round = 1; round <= ROUNDS; round++) {
    for (const layout of layouts) {
      for (const c of cases) {
        const release = await place(c.server, c.url, layout, db, connections);
        const application = appName(c.server.target);
        const before = {
          node: await c.server.stats(),
          pg: await postgresCpu(db.pool, application),
        };
        const result = await load(c.url, { duration: DURATION, connections });
        const after = { node: await c.server.stats(), pg: await postgresCpu(db.pool, application) };
        await release();
        const total = totals.get(key(layout, c.id))!;
        const pg = cpuBetween(before.pg, after.pg);
        total.rps.push(result.requests.average);
        total.requests += result.requests.total;
        total.queries += after.node.queries - before.node.queries;
        total.nodeCpu += after.node.cpuMicros - before.node.cpuMicros;
        total.postgresCpu =
          total.postgresCpu === null || pg === null ? null : total.postgresCpu + pg;
        total.errors += result.errors + result.non2xx;
        console.log(
          `bench: [${config.id}] round ${round}/${ROUNDS}, ${layout}, ${c.label}: ${fmt(result.requests.average)} req/s, ${fmt((after.node.cpuMicros - before.node.cpuMicros) / Math.max(1, result.requests.total))} µs Node CPU/req`,
        );
      }
    }
  }

  const measured: Measured[] = [];
  for (const layout of layouts) {
    for (const c of cases) {
      const total = totals.get(key(layout, c.id))!;
      const requests = Math.max(1, total.requests);
      const maxRps = median(total.rps);
      let fixed: Measured['fixed'] = null;
      if (FIXED_RATE) {
        const rate = Math.max(1, Math.round(maxRps * FIXED_RATE_SHARE));
        const release = await place(c.server, c.url, layout, db, connections);
        const result = await load(c.url, { duration: DURATION, overallRate: rate, connections });
        await release();
        fixed = {
          rate,
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
        };
        total.errors += result.errors + result.non2xx;
        console.log(
          `bench: [${config.id}] ${layout}, ${c.label} at ${fmt(rate)} req/s: p50 ${fmt(fixed.p50, 1)} ms, p99 ${fmt(fixed.p99, 1)} ms`,
        );
      }
      measured.push({
        config: config.id,
        layout,
        id: c.id,
        label: c.label,
        maxRps,
        maxRuns: total.rps,
        fixed,
        queriesPerRequest: total.queries / requests,
        nodeCpu: total.nodeCpu / requests,
        postgresCpu: total.postgresCpu === null ? null : total.postgresCpu / requests,
        errors: total.errors,
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

function render(results: ConfigResult[]): string {
  const lines = [
    '# REST API benchmark results',
    '',
    `Generated by \`${command()}\` (bench/run.ts); rerun to refresh.`,
    '',
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z`,
    `- Load average when the run started: ${LOAD_AT_START.map((n) => n.toFixed(2)).join(' / ')} (1 / 5 / 15 min; on ${os.cpus().length} cores — other processes skew absolute figures, the ratios to the calibration are the point); at the end: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ')}`,
    `- Load: autocannon, ${DURATION}s per measurement after a ${WARM_UP}s warm-up (and 1s before each measurement), ${ROUNDS} interleaved rounds flat out (median kept)${FIXED_RATE ? `, then one run at ${FIXED_RATE_SHARE * 100}% of that median` : ' (quick mode: no fixed-rate pass, so no latency figures)'}; pool size ${POOL_SIZE}; servers log at \`${LOG_LEVEL}\``,
    '',
  ];
  for (const result of results) lines.push(...renderConfig(result));
  lines.push(...HOW_TO_READ);
  return lines.join('\n');
}

function renderConfig(result: ConfigResult): string[] {
  const { config, layouts, measured, roundTrips } = result;
  const find = (layout: Layout, id: CaseId) =>
    measured.find((r) => r.layout === layout && r.id === id);
  const worstList = roundTrips.length > 0 ? Math.max(...roundTrips.map((r) => r.perRequest)) : NaN;
  const cpu = (r: Measured) => r.nodeCpu + (r.postgresCpu ?? 0);
  /** The share of one core the process used while flat out. */
  const busy = (cpuMicros: number | null, rps: number) =>
    cpuMicros === null ? 'n/a' : `${fmt((cpuMicros * rps) / 1e4)}%`;
  const verdict = (ok: boolean) => (ok ? 'pass' : '**FAIL**');
  const ratio = (layout: Layout, top: CaseId, bottom: CaseId, target: number) => {
    const a = find(layout, top);
    const b = find(layout, bottom);
    if (!a || !b) return 'not measured';
    const value = a.maxRps / b.maxRps;
    return `${fmt(value, 3)} ${verdict(value >= target)}`;
  };
  const atMost = (layout: Layout, id: CaseId, limit: number) => {
    const r = find(layout, id);
    return r ? `${fmt(r.nodeCpu)} µs ${verdict(r.nodeCpu <= limit)}` : 'not measured';
  };
  const calibration = (layout: Layout) => find(layout, 'calibration')?.maxRps;
  const times = (r: Measured) => {
    const base = calibration(r.layout);
    return base ? fmt(r.maxRps / base, 3) : 'n/a';
  };
  const table = (layout: Layout) => [
    `### ${LAYOUT_TITLES[layout]}`,
    '',
    `| case | max req/s (median) | × calibration | rounds | ${FIXED_RATE ? `fixed rate (${FIXED_RATE_SHARE * 100}%) | p50 ms | p99 ms | ` : ''}SQL queries / req | Node CPU µs / req | PostgreSQL CPU µs / req | Node busy (of one core) | PostgreSQL busy (of one core) | errors |`,
    `|---|---:|---:|---|${FIXED_RATE ? '---:|---:|---:|' : ''}---:|---:|---:|---:|---:|---:|`,
    ...measured
      .filter((r) => r.layout === layout)
      .map(
        (r) =>
          `| ${r.label} | ${fmt(r.maxRps)} | ${times(r)} | ${r.maxRuns.map((rps) => fmt(rps)).join(' / ')} | ${r.fixed ? `${fmt(r.fixed.rate)} req/s (got ${fmt(r.fixed.rps)}) | ${fmt(r.fixed.p50, 1)} | ${fmt(r.fixed.p99, 1)} | ` : ''}${fmt(r.queriesPerRequest, 2)} | ${fmt(r.nodeCpu)} | ${r.postgresCpu === null ? 'n/a' : fmt(r.postgresCpu)} | ${busy(r.nodeCpu, r.maxRps)} | ${busy(r.postgresCpu, r.maxRps)} | ${r.errors} |`,
      ),
    '',
  ];
  const skipped =
    config.layouts.includes('isolated') && !layouts.includes('isolated')
      ? [
          `- The isolated layout was not measured: ${'unavailable' in CPU_SETS ? CPU_SETS.unavailable : 'not selected'}.`,
          '',
        ]
      : [];
  const moreOrLess = (us: number) => `${fmt(Math.abs(us))} µs ${us < 0 ? 'less' : 'more'}`;
  const decomposition = (layout: Layout) => {
    const [raw, bare, uncached, cached] = (['raw', 'bare', 'uncached', 'cached'] as const).map(
      (id) => find(layout, id),
    );
    if (!raw || !bare || !uncached || !cached) return [];
    return [
      `- ${layout}: bare Express / raw = ${fmt(bare.maxRps / raw.maxRps, 2)} in throughput, ${moreOrLess(bare.nodeCpu - raw.nodeCpu)} Node CPU per request (the framework, started with \`app.listen()\`); REST API uncached / bare Express = ${fmt(uncached.maxRps / bare.maxRps, 2)}, ${moreOrLess(uncached.nodeCpu - bare.nodeCpu)} (the middleware and service layer, less the per-request prototype swap that kit's \`createExpressServer\` avoids). CPU per request, Node + PostgreSQL: raw ${fmt(cpu(raw))} µs, REST API uncached ${fmt(cpu(uncached))} µs, cached ${fmt(cpu(cached))} µs (raw / uncached = ${fmt(cpu(raw) / cpu(uncached), 2)}).`,
    ];
  };
  // Why: CPU per request rises with the machine's load too (cores shared with other work run
  // slower: caches, frequency), less than throughput falls but visibly. The calibration's own
  // CPU per request, in the same run, is the yardstick for the µs claims on a busy machine.
  const cpuScale = (layout: Layout) => {
    const base = find(layout, 'calibration');
    const rows = (['cached', 'tags', 'uncached', 'list'] as const)
      .map((id) => find(layout, id))
      .filter((r): r is Measured => r !== undefined);
    if (!base || base.nodeCpu <= 0 || rows.length === 0) return [];
    return [
      `- ${layout}: the calibration itself cost ${fmt(base.nodeCpu)} µs of Node CPU per request in this run; in those units: ${rows.map((r) => `${r.label} ${fmt(r.nodeCpu / base.nodeCpu, 1)}×`).join(', ')}.`,
    ];
  };
  const claim = (label: string, target: string, cell: (layout: Layout) => string) =>
    `| ${label} | ${target} | ${layouts.map(cell).join(' | ')} |`;
  return [
    `## Configuration ${config.title}`,
    '',
    `- Data: ${result.seeded} (seed scale ${config.scale}); article \`${result.slug}\``,
    '',
    ...skipped,
    ...layouts.flatMap(table),
    '### Claims',
    '',
    `| claim | target | ${layouts.join(' | ')} |`,
    `|---|---:|${layouts.map(() => '---:').join('|')}|`,
    claim('article, cached / calibration', '≥ 0.09', (l) =>
      ratio(l, 'cached', 'calibration', 0.09),
    ),
    claim('article, cached: Node CPU per request', '≤ 150 µs', (l) => atMost(l, 'cached', 150)),
    claim('GET /api/tags / calibration', '≥ 0.10', (l) => ratio(l, 'tags', 'calibration', 0.1)),
    claim('GET /api/articles?limit=20 / calibration', '≥ 0.02', (l) =>
      ratio(l, 'list', 'calibration', 0.02),
    ),
    claim('article, REST API uncached / raw baseline', '≥ 0.8', (l) =>
      ratio(l, 'uncached', 'raw', 0.8),
    ),
    claim('article, REST API cached / uncached', '≥ 2', (l) => ratio(l, 'cached', 'uncached', 2)),
    claim('GET /api/articles, SQL round trips per request (worst case below)', '≤ 2', () =>
      Number.isNaN(worstList) ? 'not measured' : `${fmt(worstList, 2)} ${verdict(worstList <= 2)}`,
    ),
    '',
    'Where the uncached gap comes from (a decomposition, not a claim):',
    '',
    ...layouts.flatMap(decomposition),
    ...layouts.flatMap(cpuScale),
    '',
    ...(roundTrips.length > 0
      ? [
          '### GET /api/articles — SQL round trips per request',
          '',
          `Counted on the pool's connections over ${ROUND_TRIP_SAMPLES} sequential requests each (the REST API, cache off).`,
          '',
          '| query | round trips / request |',
          '|---|---:|',
          ...roundTrips.map((r) => `| ${r.label} | ${fmt(r.perRequest, 2)} |`),
          '',
        ]
      : []),
  ];
}

const HOW_TO_READ = [
  '## How to read this',
  '',
  '- **× calibration**: the throughput divided by that of a bare `node:http` server answering fixed JSON, measured in the same run and layout. It cancels most of what the machine and its momentary load do to absolute figures.',
  '- **The two layouts answer different questions.** _Isolated_ is the layout of HTTP benchmarks run on separate machines (load generator, app server, database), scaled down: a server is limited by its own core or by the database, whichever gives out first, so the ratio says whether the server keeps pace with the database. The raw baseline usually leaves most of its core idle there (see "Node busy"): it waits for PostgreSQL and autocannon on the other core. _Shared_ puts everything on the same cores, so throughput follows the total CPU a request costs, and the ratio measures what Express and the middleware cost in CPU.',
  '- **max req/s**: every connection kept busy, each sending its next request as soon as the last one is answered: the capacity of the server in that layout.',
  `- **p50 / p99** (not in quick mode): measured at ${FIXED_RATE_SHARE * 100}% of that capacity. A saturated server's latency only measures the length of its queue; with headroom it measures the work.`,
  "- **SQL queries / request**: counted on the pool's connections during the flat-out rounds; 0 on a cached line means the cache answered every request.",
  '- **CPU µs / request**: the server process (`process.cpuUsage()`) and the PostgreSQL backends of its pool (`/proc/<pid>/stat`), over the flat-out rounds, divided by the requests answered. **busy**: that CPU times the median throughput, as a share of one core (an estimate: it can pass 100% when the rounds differ, or when a process also uses a second core in the shared layout).',
  '- Where the Node CPU goes: `BENCH_QUICK=1 BENCH_CASES=cached BENCH_CPU_PROF=/tmp/prof pnpm --filter @roadmap/rest-api bench` makes the servers write V8 CPU profiles there; open one in Chrome DevTools (Performance tab) or VS Code (see the README, "Where does a request\'s time go?").',
  `- The load comes from 127.0.0.1, which the rate limiter exempts by default (\`RATE_LIMIT_EXEMPT\`), so its Redis round trip per request is not in these figures; request logs are at \`${LOG_LEVEL}\` (\`BENCH_LOG_LEVEL\`; at \`warn\` no line is written per request). Redis is never pinned.`,
  '- PostgreSQL, Redis, the server and autocannon share one machine: absolute figures are low, the ratios are what carries over to other machines.',
  '',
];

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * `pnpm start`: the whole system on one machine.
 *  1. checks every service and prints a table (reachable or not, what is disabled without it);
 *  2. finds a PostgreSQL (yours, or an embedded PGlite when none answers) and runs migrations;
 *  3. starts every app package that exists and prints their URLs.
 * Ctrl-C stops the apps gracefully (each drains its requests and closes its clients).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { migrate, resolveDatabase } from '@roadmap/data-sql';
import {
  loadConfig,
  port as portSchema,
  probeServices,
  redactUrl,
  type ProbeResult,
  type ServiceName,
  loadDotEnv,
} from '@roadmap/kit';

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const has = (pkg: string) => existsSync(path.join(root, 'packages', pkg, 'src', 'main.ts'));

/** What each service is for here, and what is lost without it. */
const WITHOUT: Record<ServiceName, string> = {
  postgres: 'Conduit data falls back to embedded PGlite (in memory, lost on exit)',
  mysql: 'only the MySQL lesson of data-sql is unavailable',
  mongo: 'notifications keeps its data in PostgreSQL (database `notifications`) instead',
  redis: 'the REST API is not started (cache, rate limits and sessions need it)',
  rabbitmq: 'domain events are not published; notifications are not started',
};

interface AppSpec {
  pkg: string;
  title: string;
  port: number;
  needs: ServiceName[];
  /** More ports the app reads besides PORT, with their defaults (passed on, and printed). */
  extraPorts?: Record<string, number>;
  urls: (port: number, ports: Record<string, number>) => string[];
}

const portVariable = (spec: AppSpec) => `${spec.pkg.toUpperCase().replace(/-/g, '_')}_PORT`;

/**
 * kit's port schema (empty = unset = the default, as .env.example says), minus 0 ("any free
 * port"): this script probes /healthz and prints the URL, so it must know the port in advance.
 */
const fixedPort = (fallback: number) =>
  portSchema(fallback).refine((value) => value > 0, 'must be from 1 to 65535 here');

const APPS: AppSpec[] = [
  {
    pkg: 'rest-api',
    title: 'REST API (stages 4–6)',
    port: 3000,
    needs: ['redis'],
    urls: (p) => [`http://localhost:${p}/api/articles`, `http://localhost:${p}/docs`],
  },
  {
    pkg: 'graphql-api',
    title: 'GraphQL API (stage 4)',
    port: 4000,
    needs: ['redis'],
    urls: (p) => [`http://localhost:${p}/graphql`],
  },
  {
    // The outbox relay (events): moves committed outbox rows to RabbitMQ; /stats shows its backlog.
    pkg: 'events',
    title: 'outbox relay (stage 7)',
    port: 3110,
    needs: ['rabbitmq'],
    urls: (p) => [`http://localhost:${p}/stats`],
  },
  {
    // Its own database: MongoDB where MONGO_URL is set, else PostgreSQL `notifications`.
    pkg: 'notifications',
    // Getters: MONGO_URL may come from .env, which is loaded after this table is built.
    get title() {
      return `notifications (stage 7, ${process.env.MONGO_URL ? 'MongoDB' : 'PostgreSQL'} store)`;
    },
    port: 3100,
    get needs(): ServiceName[] {
      return [process.env.MONGO_URL ? 'mongo' : 'postgres', 'rabbitmq', 'redis'];
    },
    urls: (p) => [`http://localhost:${p}/api/notifications`, `http://localhost:${p}/readyz`],
  },
  {
    pkg: 'basics',
    title: 'basics (stage 1)',
    port: 8080,
    needs: [],
    extraPorts: { HTTPS_PORT: 8443 },
    urls: (p, ports) => [`http://localhost:${p}/`, `https://localhost:${ports.HTTPS_PORT}/`],
  },
];

/** The same server, another database (e.g. notifications' own). */
function siblingDatabase(url: string, name: string): string {
  const sibling = new URL(url);
  sibling.pathname = `/${name}`;
  return sibling.toString();
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** The PGlite fallback is only for an unset DATABASE_URL: a URL the user set is a choice. */
const withoutIt = (result: ProbeResult) => {
  if (result.service.name !== 'postgres') return WITHOUT[result.service.name];
  // 3D000: the server answers, only the database is missing; it is created just below.
  if (result.detail === '3D000') return 'the server answers; the database is created below';
  return process.env.DATABASE_URL
    ? 'nothing starts: DATABASE_URL is set, so there is no fallback (fix it or unset it)'
    : WITHOUT.postgres;
};

function printServices(results: ProbeResult[]): void {
  const rows = [['SERVICE', 'URL', 'STATUS', 'WITHOUT IT']];
  for (const r of results) {
    rows.push([
      r.service.label,
      redactUrl(r.url),
      r.ok ? `up (${r.detail})` : `DOWN (${r.detail})`,
      r.ok ? '' : withoutIt(r),
    ]);
  }
  console.log(`\n${table(rows)}\n`);
}

/** How long an app has to answer /healthz (migrations ran above: each app finds them done). */
const HEALTHY_WITHIN_MS = 60_000;

async function waitHealthy(
  port: number,
  child: ChildProcess,
  timeoutMs = HEALTHY_WITHIN_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Whether nothing listens on the port yet (an app would fail on it, or a stranger answer for it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/** How many of an app's last lines are kept, to be shown again if it fails to start. */
const KEPT_LINES = 15;

function prefixed(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WriteStream,
  kept: string[],
): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`[${name}] ${line}\n`);
      kept.push(`[${name}] ${line}`);
      if (kept.length > KEPT_LINES) kept.shift();
    }
  });
}

/** Why an app is not ready, and its last lines: scrolled away by the others' logs otherwise. */
function whyNotStarted(s: { spec: AppSpec; port: number; child: ChildProcess; kept: string[] }) {
  const why =
    s.child.exitCode !== null
      ? `exited with code ${s.child.exitCode} before answering`
      : `did not answer within ${HEALTHY_WITHIN_MS / 1000} s on`;
  const lines = s.kept.length > 0 ? s.kept : ['(it printed nothing)'];
  return [`${s.spec.title} ${why} http://127.0.0.1:${s.port}/healthz; its last lines:`, ...lines]
    .map((line, i) => (i === 0 ? line : `  ${line}`))
    .join('\n');
}

async function main(): Promise<void> {
  loadDotEnv(root);
  // Ports first: a bad value stops here, before anything is migrated or spawned.
  const candidates = APPS.filter((a) => has(a.pkg));
  if (candidates.length === 0) {
    candidates.push({
      pkg: 'kit',
      title: 'kit example (no stage package yet)',
      port: 3900,
      needs: [],
      urls: (p) => [`http://localhost:${p}/`],
    });
  }
  const ports = loadConfig(
    Object.fromEntries(
      candidates.flatMap((spec) =>
        Object.entries({ [portVariable(spec)]: spec.port, ...spec.extraPorts }).map(
          ([name, fallback]) => [name, fixedPort(fallback)],
        ),
      ),
    ),
  ) as Record<string, number>;
  const plans = candidates.map((spec) => ({
    spec,
    port: ports[portVariable(spec)]!,
    extraPorts: Object.fromEntries(
      Object.keys(spec.extraPorts ?? {}).map((name) => [name, ports[name]!]),
    ),
  }));

  const results = await probeServices(['postgres', 'mysql', 'mongo', 'redis', 'rabbitmq']);
  printServices(results);
  const up = new Set(results.filter((r) => r.ok).map((r) => r.service.name));
  const env: NodeJS.ProcessEnv = { ...process.env };
  const closers: Array<() => Promise<void>> = [];

  // 2. The database: migrations run once here, before any app starts.
  const database = await resolveDatabase();
  env.DATABASE_URL = database.url;
  closers.push(database.close);
  const applied = await migrate(database.url, { direction: 'up' });
  console.log(
    `database: ${database.description}${database.embedded ? ' (embedded PGlite: none answered on :5432; data is lost on exit)' : ''}`,
  );
  console.log(`migrations: ${applied.length === 0 ? 'up to date' : `applied ${applied.length}`}`);

  // 3. The apps.
  const started: Array<(typeof plans)[number] & { child: ChildProcess; kept: string[] }> = [];
  /** Apps not started because a port of theirs is held, with the line saying so. */
  const blocked: Array<{ title: string; why: string }> = [];
  for (const plan of plans) {
    const { spec, port } = plan;
    const missing = spec.needs.filter((s) => !up.has(s));
    if (missing.length > 0) {
      console.log(`${spec.title}: not started — needs ${missing.join(', ')} (see the table above)`);
      continue;
    }
    const ownPorts = { [portVariable(spec)]: port, ...plan.extraPorts };
    const held = [];
    for (const [name, value] of Object.entries(ownPorts))
      if (!(await portFree(value))) held.push(`${value} (${name})`);
    if (held.length > 0) {
      // Not started: another process would answer its /healthz and pass for it.
      const why = `${spec.title}: not started — port ${held.join(', ')} is held by another process; stop it, or set that variable to another port`;
      console.log(why);
      blocked.push({ title: spec.title, why });
      continue;
    }
    const entry = spec.pkg === 'kit' ? 'src/example/main.ts' : 'src/main.ts';
    const restApiPort = plans.find((p) => p.spec.pkg === 'rest-api')?.port ?? 3000;
    const serviceEnv: NodeJS.ProcessEnv =
      spec.pkg === 'notifications'
        ? {
            // Its own database on the same server as Conduit's, and auth's keys from the REST API.
            NOTIFICATIONS_DATABASE_URL:
              env.NOTIFICATIONS_DATABASE_URL ?? siblingDatabase(database.url, 'notifications'),
            JWKS_URL: env.JWKS_URL ?? `http://127.0.0.1:${restApiPort}/.well-known/jwks.json`,
          }
        : {};
    // --import …/otel: tracing starts before the app when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    const child = spawn(
      tsx,
      ['--conditions=@roadmap/source', '--import', '@roadmap/kit/otel', entry],
      {
        cwd: path.join(root, 'packages', spec.pkg),
        env: {
          ...env,
          ...serviceEnv,
          ...Object.fromEntries(Object.entries(plan.extraPorts).map(([k, v]) => [k, String(v)])),
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const kept: string[] = [];
    prefixed(spec.pkg, child.stdout, process.stdout, kept);
    prefixed(spec.pkg, child.stderr, process.stderr, kept);
    started.push({ ...plan, child, kept });
  }

  const healthy = await Promise.all(
    // A child that died answers nothing: ok only if it is still running once /healthz answered.
    started.map(async (s) => ({
      ...s,
      ok: (await waitHealthy(s.port, s.child)) && s.child.exitCode === null,
    })),
  );
  const rows = [['APP', 'URL', 'STATUS']];
  for (const s of healthy) {
    for (const [i, u] of s.spec.urls(s.port, s.extraPorts).entries())
      rows.push([
        i === 0 ? s.spec.title : '',
        u,
        i === 0 ? (s.ok ? 'ready' : 'FAILED to start') : '',
      ]);
  }
  const problems = [
    ...blocked,
    ...healthy.filter((s) => !s.ok).map((s) => ({ title: s.spec.title, why: whyNotStarted(s) })),
  ];
  console.log(
    `\n${table(rows)}\n\n${
      problems.length === 0
        ? 'All started. Ctrl-C stops everything gracefully.'
        : [
            `Not everything started: ${problems.map((p) => p.title).join(', ')}.`,
            ...problems.map((p) => p.why),
            'Ctrl-C stops everything gracefully.',
          ].join('\n')
    }`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping apps…`);
    for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const exitCode = (child: ChildProcess): Promise<number | null> =>
    child.exitCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise((resolve) => child.once('exit', resolve));
  const codes = await Promise.all(started.map((s) => exitCode(s.child)));
  for (const close of closers) await close().catch(() => undefined);
  const failed = problems.length > 0 || (!stopping && codes.some((c) => c !== 0));
  // pnpm prints "ELIFECYCLE Command failed" after any Ctrl-C, however cleanly the script
  // ended (pnpm's own behaviour); this line is the truth about the apps.
  if (stopping)
    console.log(
      codes.every((c) => c === 0)
        ? 'Every app stopped cleanly.'
        : `Stopped; exit codes: ${started.map((s, i) => `${s.spec.pkg} ${codes[i]}`).join(', ')}.`,
    );
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`pnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

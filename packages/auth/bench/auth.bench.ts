// `pnpm --filter @roadmap/auth bench` — the figures in the README's Performance section.
//  1. access-token verification throughput (in process, one core);
//  2. login latency (one at a time) and logins/s under a storm, at the configured Argon2id cost;
//  3. p99 of an unrelated GET at a fixed rate (from a process of its own), idle vs. during a
//     login storm (target ≤ 2×),
//     with the default hash queue (CPUs − 1) and without a limit (libuv's 4 threads).
// Rounds alternate the two settings and the medians are reported: on a shared machine one run
// is an anecdote.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { loadConfig } from '@roadmap/kit';
import { createTestDatabase, deleteByPrefix } from '@roadmap/kit/testing';
import { insertUser, migrate } from '@roadmap/data-sql';
import { authConfigShape } from '../src/config';
import { generateInMemory } from '../src/keys';
import { createPasswords } from '../src/passwords';
import { createTokenSigner } from '../src/tokens';

const GET_RATE = 200; // requests/s of the "unrelated" GET, the same idle and under the storm
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16; // concurrent logins in the storm, one account each
const SETTINGS = [
  { label: 'queue = CPUs − 1 (default)', concurrency: '0' },
  { label: 'no limit (4 libuv threads)', concurrency: '4' },
];

function verifyThroughput() {
  const config = loadConfig(authConfigShape, { NODE_ENV: 'test' });
  const signer = createTokenSigner(config, generateInMemory());
  const { token } = signer.signAccess({ id: 1, role: 'user' });
  for (let i = 0; i < 2_000; i++) signer.verifyAccess(token); // warm-up
  const started = process.hrtime.bigint();
  let n = 0;
  while (process.hrtime.bigint() - started < 2_000_000_000n) {
    signer.verifyAccess(token);
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(n / seconds), microseconds: Math.round((seconds / n) * 1e7) / 10 };
}

async function startServer(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@roadmap/source', path.join(__dirname, 'bench-server.ts')],
    {
      // Why silent: request logs piped back to this process would cost the server as much as the work measured.
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

/**
 * The unrelated GET load, from a process of its own: in this process its latencies would
 * include the time this event loop spends driving the login storm.
 */
async function getLoad(options: autocannon.Options): Promise<{ p99: number }> {
  const script = `require('autocannon')(JSON.parse(process.argv[1]), (err, r) => { if (err) throw err; process.stdout.write(JSON.stringify({ p99: r.latency.p99 })); });`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(options)], {
    cwd: __dirname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as { p99: number };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loopStats = async (url: string) =>
  (await (await fetch(`${url}/bench/loop`)).json()) as { p50: number; p99: number; max: number };

interface Round {
  loginsPerSecond: number;
  loginP50: number;
  loginP99: number;
  errors: number;
  idleP99: number;
  stormP99: number;
  ratio: number;
  loopIdleP99: number;
  loopStormP99: number;
}

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const verify = verifyThroughput();
  say(`1. access-token verification: ${verify.perSecond}/s (${verify.microseconds} µs each)`);

  const config = loadConfig(authConfigShape, { ...process.env, NODE_ENV: 'test' });
  const db = await createTestDatabase({
    name: 'auth_bench',
    setup: async (url) => void (await migrate(url)),
  });
  const prefix = `bench:auth:${process.pid}:`;
  const passwords = createPasswords(config);
  const hashTimes: number[] = [];
  let passwordHash = '';
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    passwordHash = await passwords.hash('bench password 1');
    hashTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const { memoryCost, timeCost, parallelism } = passwords.params;
  say(
    `   one Argon2id hash (m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}): median ${Math.round(median(hashTimes))} ms`,
  );
  for (let i = 0; i < CONNECTIONS; i++) {
    await insertUser(db.pool, {
      email: `bench${i}@example.com`,
      username: `bench${i}`,
      passwordHash,
    });
  }

  const rounds: Record<string, Round[]> = Object.fromEntries(SETTINGS.map((s) => [s.label, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const setting of SETTINGS) {
      const { url, child } = await startServer({
        BENCH_DATABASE_URL: db.url,
        BENCH_REDIS_PREFIX: prefix,
        PASSWORD_HASH_CONCURRENCY: setting.concurrency,
        LOGIN_MAX_FAILURES_PER_IP: '1000000',
      });
      try {
        let next = 0;
        const login: autocannon.Options = {
          url: `${url}/api/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupClient: (client) => {
            client.setBody(
              JSON.stringify({
                email: `bench${next++ % CONNECTIONS}@example.com`,
                password: 'bench password 1',
              }),
            );
          },
        };
        const get: autocannon.Options = {
          url: `${url}/api/demo/hello`,
          connections: 4,
          overallRate: GET_RATE,
          duration: SECONDS,
        };
        await autocannon({ ...get, duration: 2 }); // warm-up
        if (round === 1 && setting.concurrency === '0') {
          const single = await autocannon({ ...login, connections: 1, duration: 5 });
          say(
            `2. one login at a time: p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms (${single.requests.average} logins/s)`,
          );
        }
        await loopStats(url);
        const idleBefore = await getLoad(get);
        const loopIdle = await loopStats(url);
        const [storm, during] = await Promise.all([
          autocannon({ ...login, connections: CONNECTIONS, duration: SECONDS }),
          getLoad(get),
        ]);
        const loopStorm = await loopStats(url);
        const idleAfter = await getLoad(get);
        // Why two idle runs: the machine is shared; their mean is a fairer baseline than either.
        const idleP99 = (idleBefore.p99 + idleAfter.p99) / 2;
        const row: Round = {
          loginsPerSecond: storm.requests.average,
          loginP50: storm.latency.p50,
          loginP99: storm.latency.p99,
          errors: storm.non2xx + storm.errors,
          idleP99,
          stormP99: during.p99,
          ratio: Math.round((during.p99 / Math.max(idleP99, 1)) * 100) / 100,
          loopIdleP99: loopIdle.p99,
          loopStormP99: loopStorm.p99,
        };
        rounds[setting.label]!.push(row);
        say(
          `   round ${round}, ${setting.label}: ${row.loginsPerSecond} logins/s (p50 ${row.loginP50} / p99 ${row.loginP99} ms, ${row.errors} errors); ` +
            `GET p99 ${row.idleP99} → ${row.stormP99} ms (×${row.ratio}); event-loop delay p99 ${row.loopIdleP99} → ${row.loopStormP99} ms`,
        );
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
  }
  for (const setting of SETTINGS) {
    const rows = rounds[setting.label]!;
    const m = (key: keyof Round) => median(rows.map((r) => r[key]));
    say(
      `3. median of ${rows.length}, ${setting.label}: ${m('loginsPerSecond')} logins/s, login p50 ${m('loginP50')} ms / p99 ${m('loginP99')} ms; ` +
        `GET p99 idle ${m('idleP99')} ms → storm ${m('stormP99')} ms, ratio ×${m('ratio')}; event-loop delay p99 ${m('loopIdleP99')} → ${m('loopStormP99')} ms`,
    );
  }
  await deleteByPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  await db.drop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

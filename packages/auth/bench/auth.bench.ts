// `pnpm --filter @roadmap/auth bench` — the figures in the README's Performance section.
//  1. access-token verification throughput (in process, one core);
//  2. login latency and logins/s at the configured Argon2id cost (HTTP, real PostgreSQL/Redis);
//  3. p99 of an unrelated GET at a fixed rate, idle vs. during a login storm (must stay ≤ 2×).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { loadConfig } from '@roadmap/kit';
import { createTestDatabase, deleteByPrefix } from '@roadmap/kit/testing';
import { insertUser, migrate } from '@roadmap/data-sql';
import { authConfigShape } from '../src/config';
import { createTokenSigner } from '../src/tokens';
import { generateInMemory } from '../src/keys';
import { createPasswords } from '../src/passwords';

const GET_RATE = 200; // requests/s of the "unrelated" GET, the same idle and under the storm
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16; // concurrent logins in the storm

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
  return { verificationsPerSecond: Math.round(n / seconds), microsecondsEach: Math.round((seconds / n) * 1e7) / 10 };
}

async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@roadmap/source', path.join(__dirname, 'bench-server.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

const run = (opts: autocannon.Options) => autocannon(opts);

async function main() {
  process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  const verify = verifyThroughput();
  process.stdout.write(`1. access-token verification: ${verify.verificationsPerSecond}/s (${verify.microsecondsEach} µs each)\n`);

  const config = loadConfig(authConfigShape, { ...process.env, NODE_ENV: 'test' });
  const db = await createTestDatabase({ name: 'auth_bench', setup: async (url) => void (await migrate(url)) });
  const prefix = `bench:auth:${process.pid}:`;
  const passwords = createPasswords(config);
  const hashStarted = process.hrtime.bigint();
  const passwordHash = await passwords.hash('bench password 1');
  const hashMs = Number(process.hrtime.bigint() - hashStarted) / 1e6;
  process.stdout.write(`   one Argon2id hash (m=${passwords.params.memoryCost} KiB, t=${passwords.params.timeCost}, p=${passwords.params.parallelism}): ${Math.round(hashMs)} ms\n`);
  // One account per connection: a storm on a single account would (rightly) hit its throttle.
  for (let i = 0; i < CONNECTIONS; i++) {
    await insertUser(db.pool, { email: `bench${i}@example.com`, username: `bench${i}`, passwordHash });
  }

  const results: Record<string, unknown> = { verify, hashMs: Math.round(hashMs), params: passwords.params };
  for (const concurrency of [process.env.PASSWORD_HASH_CONCURRENCY ?? '0', '4']) {
    const { url, child } = await startServer({
      BENCH_DATABASE_URL: db.url,
      BENCH_REDIS_PREFIX: prefix,
      PASSWORD_HASH_CONCURRENCY: concurrency,
      LOGIN_MAX_FAILURES_PER_IP: '1000000',
    });
    try {
      let next = 0;
      const login: autocannon.Options = {
        url: `${url}/api/auth/login`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupClient: (client) => {
          client.setBody(JSON.stringify({ email: `bench${next++ % CONNECTIONS}@example.com`, password: 'bench password 1' }));
        },
      };
      const get = { url: `${url}/api/demo/hello`, connections: 4, overallRate: GET_RATE, duration: SECONDS };
      await run({ ...get, duration: 2 }); // warm-up
      if (concurrency !== '4') {
        // One login at a time: the latency of a login itself, without queueing behind others.
        const single = await run({ ...login, connections: 1, duration: 5 });
        results.singleLogin = { p50ms: single.latency.p50, p99ms: single.latency.p99, perSecond: single.requests.average };
        process.stdout.write(`2. one login at a time: p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms (${single.requests.average} logins/s)\n`);
      }
      const idleBefore = await run(get);
      const [storm, during] = await Promise.all([run({ ...login, connections: CONNECTIONS, duration: SECONDS }), run(get)]);
      const idleAfter = await run(get);
      // Why two idle runs: the machine is shared; their mean is a fairer baseline than either.
      const idle = { latency: { p99: (idleBefore.latency.p99 + idleAfter.latency.p99) / 2 } };
      const label = concurrency === '0' ? `hash concurrency = CPUs − 1 (default)` : `hash concurrency = ${concurrency} (libuv pool size, no limit)`;
      const row = {
        loginsPerSecond: Math.round(storm.requests.average * 10) / 10,
        loginP50ms: storm.latency.p50,
        loginP99ms: storm.latency.p99,
        loginErrors: storm.non2xx + storm.errors,
        idleGetP99ms: idle.latency.p99,
        stormGetP99ms: during.latency.p99,
        ratio: Math.round((during.latency.p99 / Math.max(idle.latency.p99, 1)) * 100) / 100,
      };
      results[label] = row;
      process.stdout.write(
        `2/3. ${label}: ${row.loginsPerSecond} logins/s, login p50 ${row.loginP50ms} ms / p99 ${row.loginP99ms} ms (${row.loginErrors} errors); ` +
          `GET p99 idle ${row.idleGetP99ms} ms → during storm ${row.stormGetP99ms} ms (×${row.ratio})\n`,
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  await deleteByPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  await db.drop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

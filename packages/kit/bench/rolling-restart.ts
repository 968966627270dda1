/**
 * `pnpm --filter @roadmap/kit bench`: two instances of the kit example app behind a small
 * load balancer, under load, restarted one after the other. Side by side in one run:
 *   steady           — no restart (the baseline)
 *   rolling, drain   — each instance gets SIGTERM with SHUTDOWN_DRAIN_DELAY_MS=1000
 *   rolling, no drain — the same with SHUTDOWN_DRAIN_DELAY_MS=0
 * The balancer does what nginx or a cloud load balancer does: checks /readyz every 100 ms,
 * sends traffic only to ready instances, and retries a GET on another instance when the
 * connection failed before any answer came back (nothing was processed, so it is safe).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.resolve(__dirname, '../src/example/main.ts');
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Instance {
  child: ChildProcessWithoutNullStreams;
  url: string;
  ready: boolean;
  agent: http.Agent;
}

function startInstance(drainDelayMs: number): Promise<Instance> {
  const child = spawn(tsx, ['--conditions=@roadmap/source', main], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PORT: '0',
      SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
    },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1])
        resolve({
          child,
          url: match[1].replace('localhost', '127.0.0.1'),
          ready: false,
          agent: new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
        });
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
}

function get(url: string, agent: http.Agent | false) {
  return new Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }>(
    (resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        })
        .on('error', reject);
    },
  );
}

/** The load balancer: health checks, round robin over ready instances, retry if nothing answered. */
async function startBalancer(pool: Instance[]) {
  let next = 0;
  let checking = true;
  const check = async () => {
    while (checking) {
      await Promise.all(
        pool.map(async (instance) => {
          const res = await get(`${instance.url}/readyz`, false).catch(() => undefined);
          instance.ready = res?.status === 200;
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const checker = check();
  const server = http.createServer((req, res) => {
    const attempt = async (tries: number): Promise<void> => {
      const ready = pool.filter((i) => i.ready);
      const target = ready[next++ % Math.max(1, ready.length)];
      if (!target) {
        res.writeHead(502).end();
        return;
      }
      try {
        const answer = await get(`${target.url}${req.url ?? '/'}`, target.agent);
        res.writeHead(answer.status, {
          'content-type': answer.headers['content-type'] ?? 'text/plain',
        });
        res.end(answer.body);
      } catch {
        if (tries > 0) await attempt(tries - 1);
        else res.writeHead(502).end();
      }
    };
    void attempt(2);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      checking = false;
      await checker;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Result {
  requests: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** CONCURRENCY clients, each sending the next request when the last one answered. */
async function load(url: string, until: () => boolean): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!until()) {
        const t0 = process.hrtime.bigint();
        const res = await get(`${url}/slow?ms=5`, agent).catch(() => undefined);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res?.status !== 200) failed++;
      }
    }),
  );
  agent.destroy();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    failed,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

const exitOf = (instance: Instance) =>
  new Promise<number | null>((resolve) => {
    if (instance.child.exitCode !== null) resolve(instance.child.exitCode);
    else instance.child.once('exit', resolve);
  });

async function waitReady(instance: Instance) {
  while (!instance.ready) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function scenario(
  drainDelayMs: number,
  restart: boolean,
): Promise<Result & { exitCodes: (number | null)[] }> {
  const pool = await Promise.all([startInstance(drainDelayMs), startInstance(drainDelayMs)]);
  const balancer = await startBalancer(pool);
  await Promise.all(pool.map(waitReady));
  // One second of warm-up load, not measured: the first requests pay for JIT compilation.
  const warm = Date.now() + 1000;
  await load(balancer.url, () => Date.now() > warm);
  const exitCodes: (number | null)[] = [];
  let done = false;
  const roll = async () => {
    if (!restart) return;
    // Replace each instance in turn: stop the old one, wait until it has exited, start the
    // new one and wait until the balancer sees it ready, then the next.
    for (let slot = 0; slot < pool.length; slot++) {
      const old = pool[slot]!;
      old.child.kill('SIGTERM');
      exitCodes.push(await exitOf(old));
      old.agent.destroy();
      const fresh = await startInstance(drainDelayMs);
      pool[slot] = fresh;
      await waitReady(fresh);
    }
  };
  const deadline = Date.now() + PHASE_MS;
  const rolling = roll().finally(() => (done = true));
  const result = await load(
    balancer.url,
    () => (restart ? done : false) || (!restart && Date.now() > deadline),
  );
  await rolling;
  await balancer.close();
  for (const instance of pool) {
    instance.child.kill('SIGTERM');
    await exitOf(instance);
    instance.agent.destroy();
  }
  return { ...result, exitCodes };
}

async function mainBench() {
  const steady = await scenario(1000, false);
  const drained = await scenario(1000, true);
  const abrupt = await scenario(0, true);
  const row = (name: string, r: Result & { exitCodes: (number | null)[] }) =>
    `| ${name} | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(0)} (${(r.perSecond / steady.perSecond).toFixed(2)}×) | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.exitCodes.join(', ') || '—'} |`;
  process.stdout.write(
    [
      `Two kit example instances behind a balancer, ${CONCURRENCY} clients, GET /slow?ms=5; Node ${process.version}.`,
      '',
      '| scenario | requests | failed | req/s (vs steady) | p50 ms | p99 ms | exit codes |',
      '| --- | --: | --: | --: | --: | --: | --- |',
      row('steady (no restart)', steady),
      row('rolling restart, drain 1000 ms', drained),
      row('rolling restart, drain 0 ms', abrupt),
      '',
    ].join('\n'),
  );
}

void mainBench();

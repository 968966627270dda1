/**
 * `pnpm --filter @roadmap/rest-api bench:floor` — the CPU floor of an HTTP response, one layer
 * at a time, with no database and no middleware: what `node:http` costs, what Express adds,
 * and how much of that is Express changing the prototype of every request and response.
 *
 * Four servers answer the same fixed JSON with the same `writeHead` + `end`:
 *  - `node:http`: the floor (the calibration of bench/run.ts);
 *  - `node:http + setPrototypeOf`: the floor plus the one thing Express's `app.handle()` does
 *    to every request before routing it: `Object.setPrototypeOf(req, app.request)` and the
 *    same on `res`, here with prototypes built the way Express builds them;
 *  - `Express, app.listen()`: Express 5 with one route, started the way most apps are;
 *  - `Express, createExpressServer()`: the same app on kit's server, whose requests and
 *    responses are created with Express's prototypes, so that swap changes nothing.
 *
 * Each runs in its own process, measured in interleaved turns (32 connections, autocannon);
 * the figure is the server's CPU time (`process.cpuUsage()`) per request answered, median of
 * the turns. Knobs: FLOOR_ROUNDS (default 5), FLOOR_SECONDS (per turn, default 3),
 * FLOOR_CONNECTIONS (default 32). See the README, "Where does a request's time go?".
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import express from 'express';
import { createExpressServer } from '@roadmap/kit/express';

const VARIANTS = {
  http: 'node:http',
  swap: 'node:http + setPrototypeOf',
  express: 'Express, app.listen()',
  born: 'Express, createExpressServer()',
} as const;
type Variant = keyof typeof VARIANTS;

const BODY = Buffer.from(JSON.stringify({ status: 'ok', stage: 'floor' }));
const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': BODY.length,
};
const answer = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, HEADERS);
  res.end(BODY);
};

/** The child: one server, its CPU time on request over IPC. */
function serve(variant: Variant): void {
  let server: http.Server;
  if (variant === 'http') server = http.createServer(answer);
  else if (variant === 'swap') {
    // Express's app.request is Object.create(express.request), itself an object whose
    // prototype is IncomingMessage.prototype; the same two levels for the response.
    const requestProto: object = Object.create(
      Object.create(http.IncomingMessage.prototype) as object,
    ) as object;
    const responseProto: object = Object.create(
      Object.create(http.ServerResponse.prototype) as object,
    ) as object;
    server = http.createServer((req, res) => {
      Object.setPrototypeOf(req, requestProto);
      Object.setPrototypeOf(res, responseProto);
      answer(req, res);
    });
  } else {
    const app = express();
    app.disable('x-powered-by');
    app.get('/', answer);
    server = variant === 'born' ? createExpressServer(app) : http.createServer(app);
  }
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
  });
  process.on('message', () => {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: cpu.user + cpu.system });
  });
  process.on('disconnect', () => process.exit(0));
}

interface Running {
  variant: Variant;
  url: string;
  child: ChildProcess;
  cpu: () => Promise<number>;
}

function start(variant: Variant): Promise<Running> {
  const child = fork(__filename, ['--serve', variant], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: ((micros: number) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant} exited (${String(code)})`)));
    child.on('message', (message: { type: string; port?: number; micros?: number }) => {
      if (message.type === 'listening' && message.port)
        resolve({
          variant,
          url: `http://127.0.0.1:${message.port}/`,
          child,
          cpu: () =>
            new Promise((done) => {
              waiters.push(done);
              child.send({ type: 'cpu' });
            }),
        });
      else if (message.type === 'cpu') waiters.shift()?.(message.micros ?? NaN);
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  const rounds = Number(process.env.FLOOR_ROUNDS ?? 5);
  const seconds = Number(process.env.FLOOR_SECONDS ?? 3);
  const connections = Number(process.env.FLOOR_CONNECTIONS ?? 32);
  const variants = Object.keys(VARIANTS) as Variant[];
  const servers = await Promise.all(variants.map(start));
  const cpu = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const rps = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const load = os.loadavg();
  try {
    for (const server of servers) await autocannon({ url: server.url, connections, duration: 1 });
    for (let round = 0; round < rounds; round += 1) {
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        const before = await server.cpu();
        const result = await autocannon({ url: server.url, connections, duration: seconds });
        const after = await server.cpu();
        const answered = result.requests.total;
        cpu.get(server.variant)?.push(answered > 0 ? (after - before) / answered : NaN);
        rps.get(server.variant)?.push(result.requests.average);
      }
    }
  } finally {
    for (const server of servers) server.child.kill();
  }
  const floor = median(cpu.get('http') ?? []);
  const lines = [
    `Load average ${load.map((l) => l.toFixed(2)).join(' / ')} at the start; ${rounds} interleaved turns of ${seconds} s, ${connections} connections; median of the turns.`,
    '',
    '| server | CPU µs / request | × node:http | req/s | turns (µs) |',
    '|---|---:|---:|---:|---|',
    ...variants.map((v) => {
      const us = median(cpu.get(v) ?? []);
      return `| ${VARIANTS[v]} | ${us.toFixed(0)} | ${(us / floor).toFixed(1)} | ${median(rps.get(v) ?? []).toFixed(0)} | ${(cpu.get(v) ?? []).map((x) => x.toFixed(0)).join(' / ')} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

if (process.argv[2] === '--serve') serve((process.argv[3] ?? 'http') as Variant);
else
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );

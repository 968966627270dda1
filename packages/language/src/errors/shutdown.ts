import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { nodeFlagsFor } from '../run-node';

const childFile = path.join(__dirname, `shutdown.child${path.extname(__filename)}`);

export interface ShutdownRun {
  /** The child's stdout lines, in order. */
  log: string[];
  exitCode: number | null;
  /** What the client of the in-flight request got: the body, or the error. */
  inFlight: string;
  /** Whether a connection attempted after SIGTERM was accepted or refused. */
  newConnection: 'accepted' | 'refused';
}

function request(url: string): Promise<string> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
      res.on('error', (err) => resolve(`error: ${err.message}`));
    }).on('error', (err) => resolve(`error: ${err.message}`));
  });
}

function tryConnect(port: number): Promise<ShutdownRun['newConnection']> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('accepted')));
    socket.once('error', () => resolve('refused'));
  });
}

/**
 * Starts the shutdown child, sends it a request that takes `requestMs`, sends SIGTERM while
 * that request is in flight, tries a new connection, and reports what everyone saw.
 */
export async function runShutdown(
  requestMs: number,
  shutdownTimeoutMs: number,
): Promise<ShutdownRun> {
  const child = spawn(
    process.execPath,
    [...nodeFlagsFor(childFile), childFile, String(requestMs), String(shutdownTimeoutMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const log: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      log.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) w.resolve(line);
    }
  });
  const lineStarting = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const seen = log.find((line) => line.startsWith(prefix));
      if (seen) return resolve(seen);
      waiters.push({ prefix, resolve });
      void exited.then(([code]) =>
        reject(new Error(`exited with ${code} before "${prefix}": ${log.join(' | ')}`)),
      );
    });

  try {
    const port = Number((await lineStarting('listening on ')).split(' ').at(-1));
    const inFlight = request(`http://127.0.0.1:${port}/slow`);
    await lineStarting('request started');
    child.kill('SIGTERM');
    await lineStarting('SIGTERM received');
    const newConnection = await tryConnect(port);
    const [exitCode] = await exited;
    return { log, exitCode, inFlight: await inFlight, newConnection };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

import { execFile } from 'node:child_process';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { get } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { nodeFlagsFor } from '../run-node';

/** Runs another program and collects its output; a missing program is an ENOENT error. */
export async function runProgram(file: string, args: string[]): Promise<string> {
  // execFile starts the program directly, without a shell: arguments are never re-parsed, so
  // user input in them cannot become a second command.
  const { stdout } = await promisify(execFile)(file, args, { timeout: 10_000 });
  return stdout.trim();
}

function getPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // agent: false = a new connection per request, so the primary hands each to a worker anew.
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(Number(body)));
    }).on('error', reject);
  });
}

/**
 * `cluster`: this process becomes the primary, forks `workers` copies of a server that share
 * one port, and sends `requests` requests to it. Returns how many each worker process answered.
 */
export async function clusterSpread(
  workers: number,
  requests: number,
): Promise<Map<number, number>> {
  const exec = path.join(__dirname, `cluster.worker${path.extname(__filename)}`);
  cluster.setupPrimary({ exec, execArgv: nodeFlagsFor(exec), silent: true });
  const forked = Array.from({ length: workers }, () => cluster.fork());
  try {
    const addresses = await Promise.all(
      forked.map(async (worker) => (await once(worker, 'listening')) as [{ port: number }]),
    );
    const port = addresses[0]![0].port;
    const spread = new Map<number, number>();
    for (let i = 0; i < requests; i++) {
      const pid = await getPid(`http://127.0.0.1:${port}/`);
      spread.set(pid, (spread.get(pid) ?? 0) + 1);
    }
    return spread;
  } finally {
    await Promise.all(
      forked.map((worker) => {
        const exited = once(worker, 'exit');
        worker.kill();
        return exited;
      }),
    );
  }
}

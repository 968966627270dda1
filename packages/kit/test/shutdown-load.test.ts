import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

// The real example app in a child process: a load generator keeps it busy, SIGTERM arrives,
// and the generator behaves like a load balancer — it stops sending new requests once
// /readyz says 503. Nothing it sent may fail.
const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.resolve(__dirname, '../src/example/main.ts');

interface Outcome {
  status?: number;
  error?: string;
  connection?: string;
  sentAfterSigterm: boolean;
  endedAfterSigterm: boolean;
}

function get(
  url: string,
  agent: http.Agent | false,
): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
        );
      })
      .on('error', reject);
  });
}

describe('graceful shutdown under load', () => {
  it('when SIGTERM arrives while clients keep requests in flight on keep-alive connections, then readiness turns 503, every request sent completes with 200, connections are closed politely and the process exits 0', async () => {
    const child: ChildProcessWithoutNullStreams = spawn(
      tsx,
      ['--conditions=@roadmap/source', main],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          PORT: '0',
          SHUTDOWN_TIMEOUT_MS: '10000',
          // Far longer than the generator needs to see /readyz turn 503 (it polls every 25 ms).
          SHUTDOWN_DRAIN_DELAY_MS: '2000',
        },
      },
    );
    let gone = false;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        gone = true;
        resolve(code);
      }),
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    let sigtermSent = false;
    let notReady = false;
    const outcomes: Outcome[] = [];
    const worker = async () => {
      // Bounded: at most 400 requests per worker whatever happens.
      for (let i = 0; i < 400 && !notReady && !gone; i++) {
        const sentAfterSigterm = sigtermSent;
        const outcome = await get(`${url}/slow?ms=30`, agent).then(
          (res) => ({ status: res.status, connection: res.connection }),
          (error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }),
        );
        outcomes.push({ ...outcome, sentAfterSigterm, endedAfterSigterm: sigtermSent });
      }
    };
    const poller = async () => {
      // Bounded too: it stops when the process is gone, whether or not it ever saw the 503.
      while (!notReady && !gone) {
        const ready = await get(`${url}/readyz`, false).catch(() => ({ status: 0 }));
        if (ready.status === 503) notReady = true;
        else await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };

    const workers = [worker(), worker(), worker(), worker()];
    const polling = poller();
    // Let the load build up (some requests done on reused connections), then stop the server.
    while (outcomes.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    sigtermSent = true;
    child.kill('SIGTERM');
    await Promise.all([...workers, polling]);
    const code = await exited;
    agent.destroy();

    expect(notReady).toBe(true);
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    // Requests that were in flight when SIGTERM arrived finished (200, checked above).
    expect(outcomes.some((o) => !o.sentAfterSigterm && o.endedAfterSigterm)).toBe(true);
    // Answers in flight or sent while draining told the client to close its keep-alive
    // connection (and no reused connection was reset under a request: that would be an error).
    expect(outcomes.some((o) => o.connection === 'close')).toBe(true);
    expect(code).toBe(0);
  });
});

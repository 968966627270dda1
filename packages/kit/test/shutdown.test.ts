import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.resolve(__dirname, '../src/example/main.ts');

function startExample(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(tsx, ['--conditions=@roadmap/source', main], {
    env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env },
  });
}

function waitForUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const exitOf = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });

describe('graceful shutdown of a kit server', () => {
  it('when SIGTERM arrives during a slow request, then that request completes with 200, new requests are refused and the process exits 0', async () => {
    const child = startExample({ PORT: '0', SHUTDOWN_TIMEOUT_MS: '8000' });
    const exited = exitOf(child);
    const url = await waitForUrl(child);

    const slow = get(`${url}/slow?ms=1500`);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));

    // The listening socket is closed: a new connection is refused (or, at worst, told 503).
    const late = await get(`${url}/`).then(
      (res) => `status ${res.status}`,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(['ECONNREFUSED', 'ECONNRESET', 'status 503']).toContain(late);

    const finished = await slow;
    expect(finished).toEqual({ status: 200, body: JSON.stringify({ waited: 1500 }) });
    const { code } = await exited;
    expect(code).toBe(0);
  });

  it('when a request outlives the shutdown timeout, then its connection is cut and the process still exits 0 in bounded time', async () => {
    const child = startExample({ PORT: '0', SHUTDOWN_TIMEOUT_MS: '300' });
    const exited = exitOf(child);
    const url = await waitForUrl(child);
    const slow = get(`${url}/slow?ms=20000`).then(
      () => 'completed',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await slow).toBe('cut');
    expect((await exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('configuration at start-up', () => {
  it('when PORT is not a number, then the process exits 1 with one line naming the variable', async () => {
    const child = startExample({ PORT: 'eighty' });
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Invalid configuration — PORT: .*\(got "eighty"\)\. See \.env\.example\.$/,
    );
  });

  it('when DATABASE_URL is not a postgres URL, then the message says what is expected', async () => {
    const child = startExample({ PORT: '0', DATABASE_URL: 'mysql://nope' });
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'DATABASE_URL: must be a URL starting with postgres:// or postgresql://',
    );
  });
});

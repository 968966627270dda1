import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const chatty = path.resolve(__dirname, 'fixtures/chatty.ts');

let running: number | undefined;
afterEach(() => {
  // If the program never exited (the bug), end the whole pipeline, not just bash.
  if (running !== undefined) {
    try {
      process.kill(-running, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running = undefined;
});

describe('a kit program whose stdout is a closed pipe', () => {
  it('when the reader goes away (`… | head -1`), then the program exits promptly instead of spinning', async () => {
    // The real shape of the bug: a shell pipeline; the shell waits for both sides, so the
    // pipeline ends only when the kit program has exited.
    const pipeline = spawn(
      'bash',
      ['-o', 'pipefail', '-c', `"${tsx}" --conditions=@roadmap/source "${chatty}" | head -1`],
      // A real logger writing to stdout, as in development: the fatal log line written to the
      // closed pipe is what used to raise EPIPE again, for ever.
      {
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info' },
        detached: true, // its own process group, so a failed run can be cleaned up whole
      },
    );
    running = pipeline.pid;
    let out = '';
    let err = '';
    pipeline.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    pipeline.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => pipeline.once('exit', resolve));
    running = undefined;
    expect(out).toBe('line 0\n');
    // 141 = 128 + SIGPIPE: what a shell reports for a program stopped by a broken pipe.
    expect(code).toBe(141);
    expect(err).toBe('');
  }, 20_000);
});

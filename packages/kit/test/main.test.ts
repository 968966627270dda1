import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const failsAtStart = path.resolve(__dirname, 'fixtures/fails-at-start.ts');

const { LOG_LEVEL: _ignored, ...withoutLogLevel } = process.env;

/** Runs the fixture; resolves with its exit code and output (execFile rejects on exit ≠ 0). */
function run(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      tsx,
      ['--conditions=@roadmap/source', failsAtStart],
      { env: { ...withoutLogLevel, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('runMain: a start-up that fails', () => {
  it('when the logger is silent (NODE_ENV=test), then the failure still reaches stderr with its stack, exit 1', async () => {
    // Before: the line went to a silent logger and the process exited 1 without a word, which
    // is how `pnpm start` in CI once lost the reason an app did not start.
    const { code, stdout, stderr } = await run({ NODE_ENV: 'test' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^start-up failed: Error: the database said no\n\s+at /);
  }, 20_000);

  it('when the logger writes (development), then the failure is one fatal JSON line on stdout, exit 1', async () => {
    const { code, stdout } = await run({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    expect(code).toBe(1);
    const line = JSON.parse(stdout.trim()) as {
      level: string;
      msg: string;
      err: { message: string };
    };
    expect(line).toMatchObject({ level: 'fatal', msg: 'start-up failed' });
    expect(line.err.message).toBe('the database said no');
  }, 20_000);
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScript } from '../src/run-node';
import {
  AppError,
  causeChain,
  ConfigError,
  isOperational,
  NotFoundError,
} from '../src/errors/app-error';
import { loadSettings } from '../src/errors/settings';
import { runShutdown } from '../src/errors/shutdown';

const crashChild = path.join(__dirname, '..', 'src', 'errors', 'crash.child.ts');

describe('lesson 5: errors', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'language-errors-test-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when the settings file is missing or broken, then a ConfigError says so and keeps the original as its cause', async () => {
    const missing = loadSettings(path.join(dir, 'missing.json'));
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    const err = (await missing.catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({ code: 'config_invalid', cause: { code: 'ENOENT' } });
    expect(causeChain(err)).toEqual([
      `ConfigError: cannot read the settings file ${path.join(dir, 'missing.json')}`,
      expect.stringMatching(/^Error: ENOENT: no such file or directory/),
    ]);

    await writeFile(path.join(dir, 'broken.json'), '{"port": 80,');
    const broken = (await loadSettings(path.join(dir, 'broken.json')).catch(
      (e: unknown) => e,
    )) as Error;
    expect(causeChain(broken)[1]).toMatch(/^SyntaxError: /);

    await writeFile(path.join(dir, 'good.json'), '{"port": 80}');
    expect(await loadSettings(path.join(dir, 'good.json'))).toEqual({ port: 80 });
  });

  it('when errors are classified, then AppErrors and known system codes are operational and a TypeError is not', () => {
    expect(isOperational(new NotFoundError('article'))).toBe(true);
    expect(isOperational(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isOperational(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
    expect(isOperational('a string')).toBe(false);
  });

  it('when a custom error is created, then instanceof, name, code, status and the stack all work', () => {
    const err = new NotFoundError('article "x"', new Error('no row'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'NotFoundError',
      code: 'not_found',
      status: 404,
      message: 'article "x" was not found',
    });
    expect(err.stack).toMatch(/^NotFoundError: article "x" was not found\n\s+at /);
    expect(causeChain(err)).toEqual(['NotFoundError: article "x" was not found', 'Error: no row']);
  });

  it('when an exception goes uncaught, then the process exits 1 — unless a handler swallows it and keeps corrupt state', async () => {
    const noHandler = await runScript(crashChild, ['no-handler']);
    expect(noHandler.exitCode).toBe(1);
    expect(noHandler.stderr).toContain(
      "TypeError: Cannot read properties of undefined (reading 'rate')",
    );
    expect(noHandler.stdout).not.toContain('still serving');

    const logAndExit = await runScript(crashChild, ['log-and-exit']);
    expect(logAndExit.exitCode).toBe(1);
    expect(logAndExit.stdout).toContain('handler: uncaughtException: Cannot read properties');

    const swallow = await runScript(crashChild, ['swallow']);
    expect(swallow.exitCode).toBe(0);
    // 50 were debited from alice and never credited to bob: money vanished.
    expect(swallow.stdout).toContain('still serving 50 ms later: total 150 (alice 60, bob 90)');
  });

  it('when SIGTERM arrives mid-request, then the request completes, new connections are refused and the exit code is 0', async () => {
    const run = await runShutdown(300, 5_000);
    expect(run.inFlight).toBe('200 done after 300 ms');
    expect(run.newConnection).toBe('refused');
    expect(run.exitCode).toBe(0);
    expect(run.log.slice(1)).toEqual([
      'request started: /slow',
      'SIGTERM received: stopped accepting, finishing the requests in flight',
      'request finished: /slow',
      'server closed: exiting with 0',
    ]);
  });

  it('when a request outlasts the shutdown timeout, then its connection is cut and the exit code is 1', async () => {
    const run = await runShutdown(10_000, 300);
    expect(run.inFlight).toMatch(/^error: /);
    expect(run.exitCode).toBe(1);
    expect(run.log.at(-1)).toBe('still busy after 300 ms: cutting connections, exiting with 1');
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../src/config';

const tsx = require.resolve('tsx/cli');
const mainFile = path.join(__dirname, '..', 'src', 'main.ts');
jest.setTimeout(60_000);

describe('main: start-up and shutdown', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'basics-main-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when started, then it prints both URLs, serves them, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [tsx, '--conditions=@roadmap/source', mainFile], {
      env: { ...process.env, PORT: '0', HTTPS_PORT: '0', CERT_DIR: dir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    let stdout = '';
    const urls = await new Promise<RegExpMatchArray>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match =
          /http:\/\/localhost:(\d+)\/[\s\S]*https:\/\/localhost:(\d+)\/tls[\s\S]*certificate created/.exec(
            stdout,
          );
        if (match) resolve(match);
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    const res = await fetch(`http://localhost:${urls[1]}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('when a variable is invalid, then start-up fails with one clear line', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(
      'PORT must be a whole number from 0 to 65535 (got "eighty").',
    );
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be trace, debug, info, warn, error, fatal or silent (got "loud").',
    );
    expect(readConfig({})).toMatchObject({
      port: 8080,
      httpsPort: 8443,
      maxBodyBytes: 16384,
      corsOrigins: undefined,
    });
    expect(readConfig({ CORS_ORIGINS: 'http://a.test, http://b.test' }).corsOrigins).toEqual([
      'http://a.test',
      'http://b.test',
    ]);
  });

  it('when the shared .env.example values reach basics, then they keep their meaning', () => {
    // `pnpm start` passes the whole environment on; these are the repository-wide defaults.
    const policy = readConfig({ CORS_ORIGINS: '*' }).corsOrigins;
    expect(typeof policy).toBe('function');
    expect((policy as (origin: string) => boolean)('https://anywhere.example')).toBe(true);
    expect(readConfig({ LOG_LEVEL: 'trace' }).logLevel).toBe('debug');
    expect(readConfig({ LOG_LEVEL: 'fatal' }).logLevel).toBe('error');
  });
});

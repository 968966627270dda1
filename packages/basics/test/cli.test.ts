import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { buildApp, buildHttpsServer, buildServer } from '../src/server';
import { ensureCertificate } from '../src/tls/certificate';

// The CLI is run as a real child process, exactly as `pnpm … cli -- …` runs it (tsx).
const tsx = require.resolve('tsx/cli');
const cli = path.join(__dirname, '..', 'src', 'cli', 'main.ts');

function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliIn({}, ...args);
}

/** As pnpm runs it: in `cwd` (the package folder), with INIT_CWD = where the user typed it. */
function runCliIn(
  where: { cwd?: string; initCwd?: string },
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  if (where.initCwd === undefined) delete env.INIT_CWD;
  else env.INIT_CWD = where.initCwd;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, '--conditions=@roadmap/source', cli, ...args],
      { timeout: 20_000, cwd: where.cwd, env },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

// Each case starts a child process (≈1–3 s on a busy machine).
jest.setTimeout(60_000);

let dir: string;
let certFile: string;
let http: Server;
let https: Server;
let httpPort: number;
let httpsPort: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'basics-cli-'));
  const credentials = await ensureCertificate(dir);
  certFile = path.join(dir, 'cert.pem');
  await writeFile(certFile, credentials.cert);
  const app = buildApp();
  http = buildServer(app);
  https = buildHttpsServer(app, credentials);
  await Promise.all([
    new Promise<void>((r) => http.listen(0, r)),
    new Promise<void>((r) => https.listen(0, r)),
  ]);
  httpPort = (http.address() as AddressInfo).port;
  httpsPort = (https.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const server of [http, https]) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('the raw-socket CLI', () => {
  it('when --help is asked, then it prints the usage and exits 0', async () => {
    const { code, stdout } = await runCli('--', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: pnpm --filter @roadmap/basics cli -- <command> [options]');
    expect(stdout).toContain('request <url>');
    expect(stdout).toContain('dns <name>');
  });

  it('when a GET is sent, then every byte is printed with its line ending, in both directions', async () => {
    const { code, stdout } = await runCli(
      'request',
      `http://localhost:${httpPort}/negotiate`,
      '-H',
      'Accept: text/plain',
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      `> GET /negotiate HTTP/1.1\\r\\n\n> Host: localhost:${httpPort}\\r\\n\n`,
    );
    expect(stdout).toContain('> Accept: text/plain\\r\\n');
    expect(stdout).toContain('> \\r\\n');
    expect(stdout).toContain('< HTTP/1.1 200 OK\\r\\n');
    expect(stdout).toContain('< Vary: Accept\\r\\n');
    expect(stdout).toContain('< Hello from one URL in three formats. (format: text/plain)\\n');
    expect(stdout).toMatch(/\* \d+ bytes sent, \d+ bytes received/);
  });

  it('when a body is sent, then Content-Length is computed and the body is shown', async () => {
    const { code, stdout } = await runCli(
      'request',
      `http://127.0.0.1:${httpPort}/body/echo`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"é":1}',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('> POST /body/echo HTTP/1.1\\r\\n');
    expect(stdout).toContain('> Content-Length: 8\\r\\n'); // 7 characters, 8 bytes: é is two bytes in UTF-8
    expect(stdout).toContain('<     "é": 1\\n');
  });

  it('when the response is streamed, then the chunk sizes in hex and the final 0 chunk are visible', async () => {
    const { stdout } = await runCli(
      'request',
      `http://localhost:${httpPort}/stream?chunks=2&delay=0`,
    );
    expect(stdout).toContain('< Transfer-Encoding: chunked\\r\\n');
    expect(stdout).toMatch(/< 29\\r\\n\n< chunk 1 of 2 at .*\\n\n< \\r\\n\n< 29\\r\\n/);
    expect(stdout).toContain('< 0\\r\\n\n< \\r\\n');
  });

  it('when https is used with --cacert, then the TLS handshake is verified and shown', async () => {
    const { code, stdout } = await runCli(
      'request',
      `https://localhost:${httpsPort}/tls`,
      '--cacert',
      certFile,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /\* TLS handshake done: TLSv1\.3, cipher TLS_\w+, ALPN http\/1\.1; certificate for localhost issued by localhost \(verified\)/,
    );
    expect(stdout).toContain('<   "encrypted": true,\\n');
  });

  it('when --cacert is a path relative to where the user ran pnpm, then it is found although pnpm runs the script in the package folder', async () => {
    // `pnpm --filter @roadmap/basics cli -- … --cacert <path>` typed in `dir`'s parent.
    const { code, stdout, stderr } = await runCliIn(
      { cwd: path.join(__dirname, '..'), initCwd: path.dirname(dir) },
      'request',
      `https://localhost:${httpsPort}/tls`,
      '--cacert',
      path.join(path.basename(dir), 'cert.pem'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/certificate for localhost issued by localhost \(verified\)/);
  });

  it('when the --cacert file does not exist, then one clean line names it and the exit code is 2', async () => {
    const { code, stdout, stderr } = await runCliIn(
      { cwd: path.join(__dirname, '..'), initCwd: dir },
      'request',
      `https://localhost:${httpsPort}/tls`,
      '--cacert',
      'missing.pem',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: --cacert: cannot read ${path.join(dir, 'missing.pem')} (no such file)\nRun with --help for usage.\n`,
    );
  });

  it('when https meets the self-signed certificate without --cacert, then it explains how to proceed and exits 1', async () => {
    const { code, stderr } = await runCli('request', `https://localhost:${httpsPort}/tls`);
    expect(code).toBe(1);
    expect(stderr).toContain('is self-signed');
    expect(stderr).toContain('--insecure');
    const insecure = await runCli('request', `https://localhost:${httpsPort}/healthz`, '-k');
    expect(insecure.code).toBe(0);
    expect(insecure.stdout).toContain('NOT verified: DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('when nothing listens on the port, then a one-line explanation and exit 1', async () => {
    const closed = buildServer();
    await new Promise<void>((r) => closed.listen(0, r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { code, stderr } = await runCli('request', `http://127.0.0.1:${port}/`);
    expect(code).toBe(1);
    expect(stderr).toContain(`Nothing is listening on 127.0.0.1:${port}`);
  });

  it('when the usage is wrong, then exit 2 with the reason', async () => {
    expect(await runCli('fly')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command "fly"'),
    });
    // Without a scheme, "localhost:" reads as the scheme — a classic surprise.
    expect(await runCli('request', 'localhost:8080')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('got localhost:'),
    });
    expect(await runCli('request', 'ftp://x/')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Only http:// and https://'),
    });
    expect(await runCli('request', 'http://x/', '-H', 'no colon')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'Name: value'"),
    });
  });

  it('when dns is asked about localhost, then lookup answers offline and resolve is reported per type', async () => {
    const { code, stdout } = await runCli('dns', 'localhost', '--type', 'A,MX');
    expect(code).toBe(0);
    expect(stdout).toMatch(/dns\.lookup\("localhost"\)[^\n]*\n {2}ok {3}(127\.0\.0\.1|::1)/);
    expect(stdout).toMatch(/\n {2}A {5}(ok|fail)/);
    expect(stdout).toMatch(/\n {2}MX {4}(ok|fail)/);
  });

  it('when dns is asked about a name that cannot exist, then it says so and exits 1', async () => {
    const { code, stdout } = await runCli('dns', 'no-such-host.invalid', '--type', 'A');
    expect(code).toBe(1);
    expect(stdout).toMatch(/fail (ENOTFOUND|EAI_AGAIN|TIMEOUT)/);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { migrate } from '@roadmap/data-sql';
import { createTestDatabase, requireServices, type TestDatabase } from '@roadmap/kit/testing';

// `pnpm start` of this package as a user runs it: a real process, its stderr, its exit code.
const tsx = require.resolve('tsx/cli');
const main = path.join(__dirname, '..', 'src', 'main.ts');
jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  await requireServices(['postgres', 'redis']);
  db = await createTestDatabase({
    name: 'rest_startup',
    setup: async (url) => void (await migrate(url)),
  });
});
afterAll(async () => {
  await db?.drop();
});

function start(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, '--conditions=@roadmap/source', main],
      {
        timeout: 30_000,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: db.url, ...env },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** What production requires besides a database: real keys and a session secret. */
function productionSecrets(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
}

/** One line a human reads: no JSON, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s*at |"level"|\{"/m);
}

describe('start-up problems are told in one line that says what to do', () => {
  it('when production finds no database, then it says to run db:migrate (which creates it), not to start PostgreSQL', async () => {
    // Development creates and migrates a missing database by itself (data-sql's
    // prepareDatabase); production never changes a schema on its own, so it must say what to do.
    const missing = new URL(db.url);
    missing.pathname = `/${db.name}_missing`;
    const { code, stderr } = await start({
      ...productionSecrets(),
      NODE_ENV: 'production',
      DATABASE_URL: missing.toString(),
    });
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain(`database "${db.name}_missing" does not exist`);
    expect(stderr).toContain('pnpm db:migrate');
    expect(stderr).not.toContain('pg_ctlcluster');
  });

  it('when the port is taken, then it names the port and the variable', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await start({ PORT: String(port) });
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toContain(`port ${port} is already in use`);
      expect(stderr).toContain('PORT');
    } finally {
      taken.close();
    }
  });

  it('when production starts without its secrets, then one line lists them', async () => {
    const { code, stderr } = await start({ NODE_ENV: 'production', PORT: '0' });
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain(
      'JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, SESSION_SECRET must be set in production',
    );
  });

  it('when PORT is not a number, then the message speaks of ports, not of zod types', async () => {
    const { code, stderr } = await start({ PORT: 'abc' });
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain('PORT: must be a whole number from 0 to 65535 (got "abc")');
    expect(stderr).not.toContain('NaN');
  });
});

import net from 'node:net';
import type * as PgliteModule from '@electric-sql/pglite';
import type * as PgliteSocketModule from '@electric-sql/pglite-socket';
import { DEFAULT_DATABASE_URL } from '../config';
import { ensureDatabase } from './ensure-database';

export interface ResolvedDatabase {
  /** A postgres:// URL that `pg` (and so every repository) can use unchanged. */
  url: string;
  /** true when no server answered and an in-process PGlite is serving the URL. */
  embedded: boolean;
  /** One line for the start-up table, e.g. "PostgreSQL 127.0.0.1:5432/conduit". */
  description: string;
  /** Stops the embedded server (a no-op for a real server; the app closes its own pool). */
  close: () => Promise<void>;
}

export interface ResolveOptions {
  /** Default process.env.DATABASE_URL. */
  databaseUrl?: string;
  /** Where embedded PGlite keeps its files; default PGLITE_DATA_DIR, else in memory. */
  pgliteDataDir?: string;
  /** Port for the embedded server; default a free one. */
  port?: number;
}

/** Does anything accept TCP on host:port within the timeout? */
export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Picks the database for `pnpm start`, in this order:
 *  1. DATABASE_URL when set (the database is created if missing);
 *  2. the local PostgreSQL on 127.0.0.1:5432, database `conduit`;
 *  3. embedded PGlite (PostgreSQL compiled to WebAssembly, in this process) served over the
 *     Postgres wire protocol on a local port, so the same `pg` code runs with nothing installed.
 * Tests never use this: they require the real server.
 */
export async function resolveDatabase(opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const explicit = opts.databaseUrl ?? process.env.DATABASE_URL;
  const noop = () => Promise.resolve();
  if (explicit) {
    const u = new URL(explicit);
    // Why no fallback here: a URL the user set is a choice; quietly serving an in-memory
    // database instead would lose their data on exit without them noticing.
    await ensureDatabase(explicit).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND')
        throw new Error(
          `DATABASE_URL points at ${u.host}, where no PostgreSQL answers (${code}) — start PostgreSQL there, or unset DATABASE_URL to use the local server or the embedded PGlite fallback.`,
          { cause: error },
        );
      throw error;
    });
    return {
      url: explicit,
      embedded: false,
      description: `PostgreSQL ${u.host}${u.pathname}`,
      close: noop,
    };
  }
  if (await portAnswers('127.0.0.1', 5432)) {
    await ensureDatabase(DEFAULT_DATABASE_URL);
    return {
      url: DEFAULT_DATABASE_URL,
      embedded: false,
      description: 'PostgreSQL 127.0.0.1:5432/conduit',
      close: noop,
    };
  }
  return startEmbeddedPostgres(opts);
}

/** PGlite behind a PGLiteSocketServer. Exported for the test and for anyone who wants it directly. */
export async function startEmbeddedPostgres(opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  // Why require here and not a top-level import: PGlite is only needed when no server answers,
  // so every other user of this package skips loading it. (Both ship CommonJS builds; a
  // dynamic import() would not run inside jest's CommonJS sandbox.)
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PGlite } = require('@electric-sql/pglite') as typeof PgliteModule;
  const { PGLiteSocketServer } =
    require('@electric-sql/pglite-socket') as typeof PgliteSocketModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataDir = opts.pgliteDataDir ?? process.env.PGLITE_DATA_DIR;
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const port = opts.port ?? (await freePort());
  // Why maxConnections > 1: a pg Pool opens several connections; the socket server queues
  // their messages onto PGlite's single connection (one query at a time, transactions kept whole).
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 10 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    description: `embedded PGlite on 127.0.0.1:${port} (${dataDir ? `files in ${dataDir}` : 'in memory: data is lost on exit'})`,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

import net from 'node:net';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { withTimeout } from './health';
import { StartupError } from './main';

export type ServiceName = 'postgres' | 'mysql' | 'mongo' | 'redis' | 'rabbitmq';

export interface ServiceInfo {
  name: ServiceName;
  label: string;
  env: string;
  defaultUrl: string;
  /** How to start it on a Debian machine like CI's; `docker compose up -d <service>` also works. */
  start: string;
}

/** The conventional variable names and local defaults, in one place for the whole project. */
export const SERVICES: Record<ServiceName, ServiceInfo> = {
  postgres: {
    name: 'postgres',
    label: 'PostgreSQL',
    env: 'DATABASE_URL',
    defaultUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  mysql: {
    name: 'mysql',
    label: 'MySQL/MariaDB',
    env: 'MYSQL_URL',
    defaultUrl: 'mysql://root@127.0.0.1:3306/test',
    start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
  },
  mongo: {
    name: 'mongo',
    label: 'MongoDB',
    env: 'MONGO_URL',
    defaultUrl: 'mongodb://127.0.0.1:27017/conduit',
    start: 'docker compose up -d mongo',
  },
  redis: {
    name: 'redis',
    label: 'Redis',
    env: 'REDIS_URL',
    defaultUrl: 'redis://127.0.0.1:6379',
    start: 'redis-server --daemonize yes --port 6379 --save "" --appendonly no',
  },
  rabbitmq: {
    name: 'rabbitmq',
    label: 'RabbitMQ',
    env: 'RABBITMQ_URL',
    defaultUrl: 'amqp://guest:guest@127.0.0.1:5672',
    start: 'rabbitmq-server -detached && rabbitmqctl await_startup',
  },
};

export function serviceUrl(
  name: ServiceName,
  env: Record<string, string | undefined> = process.env,
): string {
  const info = SERVICES[name];
  const value = env[info.env];
  return value && value.length > 0 ? value : info.defaultUrl;
}

export interface ProbeResult {
  service: ServiceInfo;
  url: string;
  ok: boolean;
  /** Milliseconds to answer, or why it did not. */
  detail: string;
}

/** Talks to the service the way a client would (a query, a PING, a handshake), briefly. */
export async function probeService(
  name: ServiceName,
  url = serviceUrl(name),
  timeoutMs = 1_500,
): Promise<ProbeResult> {
  const started = Date.now();
  try {
    await withTimeout(PROBES[name](url, timeoutMs), timeoutMs, `no answer in ${timeoutMs} ms`);
    return { service: SERVICES[name], url, ok: true, detail: `${Date.now() - started} ms` };
  } catch (error) {
    return { service: SERVICES[name], url, ok: false, detail: describe(error) };
  }
}

export function probeServices(names: ServiceName[], env = process.env): Promise<ProbeResult[]> {
  return Promise.all(names.map((name) => probeService(name, serviceUrl(name, env))));
}

/**
 * A process's start-up gate: probes each service in turn and throws a StartupError naming the
 * first one that is down (runMain prints it as one line), instead of failing on the first
 * request. `urls` are what the process will connect to, e.g. `{ postgres, redis }`.
 */
export async function assertReachable(urls: Partial<Record<ServiceName, string>>): Promise<void> {
  for (const [name, url] of Object.entries(urls) as [ServiceName, string][]) {
    const probe = await probeService(name, url);
    if (!probe.ok) throw new StartupError(unreachableMessage(probe));
  }
}

/** One line a human can act on: what is down, where we looked, how to start it. */
export function unreachableMessage(result: ProbeResult): string {
  const where = redactUrl(result.url);
  // 3D000 invalid_catalog_name: the server answered; only the database is missing.
  if (result.service.name === 'postgres' && result.detail === '3D000') {
    const name = decodeURIComponent(new URL(result.url).pathname.slice(1));
    return `PostgreSQL answers at ${where}, but database "${name}" does not exist — create it and its tables with: pnpm db:migrate`;
  }
  return `${result.service.label} is not reachable at ${where} (${result.detail}) — start it with: ${result.service.start}  (or set ${result.service.env})`;
}

export function redactUrl(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return raw;
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  // Duck-typed on purpose: errors from node internals may come from another realm (jest).
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

const PROBES: Record<ServiceName, (url: string, timeoutMs: number) => Promise<void>> = {
  async postgres(url, timeoutMs) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async redis(url, timeoutMs) {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // ioredis reports the socket's own error (ECONNREFUSED…) as an event, then rejects
    // connect() with a vaguer one; keep the first.
    let socketError: unknown;
    client.on('error', (error) => (socketError ??= error));
    try {
      await client.connect().catch((error: unknown) => {
        throw socketError ?? error;
      });
      await client.ping();
    } finally {
      client.disconnect();
    }
  },
  async rabbitmq(url, timeoutMs) {
    const connection = await amqp.connect(url, { timeout: timeoutMs });
    await connection.close();
  },
  // MySQL speaks first: a greeting packet whose 5th byte is protocol version 10.
  mysql: (url, timeoutMs) =>
    tcpGreeting(url, 3306, timeoutMs, (data) => data.length > 4 && data[4] === 10),
  // Without a driver in kit, a TCP connect is the honest limit of what we check.
  mongo: (url, timeoutMs) => tcpGreeting(url, 27017, timeoutMs),
};

function tcpGreeting(
  raw: string,
  defaultPort: number,
  timeoutMs: number,
  accept?: (data: Buffer) => boolean,
): Promise<void> {
  const parsed = new URL(raw.replace(/^mongodb\+srv:/, 'mongodb:'));
  const host = parsed.hostname.split(',')[0] ?? '127.0.0.1';
  const port = Number(parsed.port || defaultPort);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.once('error', done);
    socket.once('timeout', () => done(new Error(`no answer in ${timeoutMs} ms`)));
    socket.once('connect', () => {
      if (!accept) done();
    });
    socket.once('data', (data) => {
      if (accept) done(accept(data) ? undefined : new Error('unexpected greeting'));
    });
  });
}

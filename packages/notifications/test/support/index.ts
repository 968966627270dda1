import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAuthCore, authConfigShape, type AuthCore } from '@roadmap/auth';
import { createEvent, type DomainEvent, type EventData, type EventType } from '@roadmap/events';
import { loadConfig } from '@roadmap/kit';
import {
  createTestDatabase,
  createTestRedis,
  dropTestDatabase,
  mongoUrl,
  type TestRedis,
} from '@roadmap/kit/testing';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import { MongoNotificationStore, PostgresNotificationStore, migrateNotifications } from '../../src';
import { NOTIFICATIONS_MIGRATIONS_DIR } from '../../src/store/postgres.store';

/** Changes whenever a migration changes, so a stale template database is never reused. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(NOTIFICATIONS_MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(NOTIFICATIONS_MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

export interface TestStore<S> {
  store: S;
  url: string;
  drop: () => Promise<void>;
}

/** This test file's own notifications database (test_notif_<label>_<random>), migrated. */
export async function createPostgresStore(
  label: string,
): Promise<TestStore<PostgresNotificationStore>> {
  const db = await createTestDatabase({
    name: `notif_${label}`,
    templateKey: `notif_${migrationsHash()}`,
    setup: async (url) => void (await migrateNotifications(url)),
  });
  await db.pool.end();
  const store = PostgresNotificationStore.connect(db.url);
  return {
    store,
    url: db.url,
    drop: async () => {
      await store.close();
      await dropTestDatabase(db.name);
    },
  };
}

/** This test file's own MongoDB database on the MONGO_URL server (only called when it is set). */
export async function createMongoStore(label: string): Promise<TestStore<MongoNotificationStore>> {
  const url = new URL(mongoUrl()!);
  url.pathname = `/test_notif_${label}_${randomBytes(4).toString('hex')}`;
  const store = await MongoNotificationStore.connect(url.toString());
  return {
    store,
    url: url.toString(),
    drop: async () => {
      await store.dropDatabase();
      await store.close();
    },
  };
}

export interface TestAuth {
  auth: AuthCore;
  /** Auth's key set, served as its /.well-known/jwks.json route serves it, on a port of its own. */
  jwksUrl: string;
  /** A real access token for this user id, signed by auth's key (as login would issue). */
  tokenFor: (userId: number) => string;
  close: () => Promise<void>;
}

/**
 * The auth stage's core (its real signer and key set) behind a JWKS endpoint on port 0: the
 * notifications service only ever sees its public keys, over HTTP, as in production. Why not
 * auth's Express router: this package may not import @roadmap/auth/express (eslint's graph).
 */
export async function startAuth(label: string): Promise<TestAuth> {
  const db = await createMigratedTestDatabase(`notif_auth_${label}`);
  const redis: TestRedis = await createTestRedis(`notif-auth-${label}`);
  const config = loadConfig(authConfigShape, { NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const auth = createAuthCore({ pool: db.pool, redis: redis.redis, config });
  const server = await listen((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'public, max-age=300',
      })
      .end(JSON.stringify(auth.jwks()));
  });
  return {
    auth,
    jwksUrl: `${server.url}/.well-known/jwks.json`,
    tokenFor: (userId) =>
      auth.issueAccessToken({ id: userId, role: 'user', tokenGeneration: 0 }).accessToken,
    close: async () => {
      await server.close();
      await redis.cleanup();
      await db.drop();
    },
  };
}

export interface Listening {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let nextId = 1_000;
/** A fresh positive id, unique within the test run's file. */
export const newId = () => ++nextId;

export function event<T extends EventType>(type: T, data: EventData<T>, at?: Date): DomainEvent {
  // Why the cast: DomainEvent<T> is one member of the DomainEvent union; TypeScript cannot see
  // that for a generic T.
  return createEvent({ type, data, id: randomUUID(), occurredAt: at }) as unknown as DomainEvent;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await sleep(25);
  }
}

export interface SseClient {
  /** Parsed `event: notification` payloads received so far. */
  events: Array<{ event: string; id?: string; data: unknown }>;
  status: number;
  close: () => void;
  /** Called when the server ends the stream. */
  onEnd: (listener: () => void) => void;
  /** Called with each event as it arrives. */
  onEvent: (listener: (event: { event: string; id?: string; data: unknown }) => void) => void;
}

/** Opens an SSE stream and resolves once the server's `ready` event arrived (subscribed). */
export function openStream(url: string, token: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Token ${token}` } }, (res) => {
      const client: SseClient = {
        events: [],
        status: res.statusCode ?? 0,
        close: () => req.destroy(),
        onEnd: (listener) => res.once('end', listener),
        onEvent: (listener) => listeners.push(listener),
      };
      const listeners: Array<(event: SseClient['events'][number]) => void> = [];
      if (res.statusCode !== 200) {
        resolve(client);
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          if (!fields.event) continue;
          const received = {
            event: fields.event,
            id: fields.id,
            data: JSON.parse(fields.data ?? 'null') as unknown,
          };
          client.events.push(received);
          for (const listener of listeners) listener(received);
          if (fields.event === 'ready') resolve(client);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err) => reject(err));
  });
}

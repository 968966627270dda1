import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRoundTrips } from '@roadmap/data-sql';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import {
  createTestRedis,
  requireServices,
  type TestDatabase,
  type TestRedis,
} from '@roadmap/kit/testing';
import request from 'supertest';
import { createAuthCore, loadAuthConfig } from '@roadmap/auth';
import { buildApp, type AppAuth, type AppConfig, type GraphqlApp } from '../src/app';

export interface TestApi {
  api: GraphqlApp;
  /** Shared by instances started with `sharing` (one deployment signs with one key). */
  auth: AppAuth;
  db: TestDatabase;
  redis: TestRedis;
  /** Counts the SQL statements conduit sends (data-sql's countRoundTrips). */
  roundTrips: ReturnType<typeof countRoundTrips>;
  /** POST /graphql with a JSON body; `token` adds `Authorization: Token <token>`. */
  gql: (query: string, variables?: Record<string, unknown>, token?: string) => request.Test;
  http: () => ReturnType<typeof request>;
  stop: () => Promise<void>;
}

export interface StartOptions {
  config?: Partial<AppConfig>;
  naive?: boolean;
  /** Share another TestApi's database and Redis (two instances of one deployment). */
  sharing?: TestApi;
}

/** The real app over this file's own database and Redis prefix; no mocks. */
export async function startApi(name: string, options: StartOptions = {}): Promise<TestApi> {
  await requireServices(['postgres', 'redis']);
  const db = options.sharing?.db ?? (await createMigratedTestDatabase(`gql_${name}`));
  const redis = options.sharing?.redis ?? (await createTestRedis(`gql-${name}`));
  const roundTrips = countRoundTrips(db.pool);
  const auth =
    options.sharing?.auth ??
    createAuthCore({ pool: db.pool, redis: redis.redis, config: loadAuthConfig() });
  const api = await buildApp({
    pool: roundTrips.db,
    redis: redis.redis,
    auth,
    config: options.config,
    naive: options.naive,
    channelPrefix: redis.prefix,
  });
  const gql = (query: string, variables?: Record<string, unknown>, token?: string) => {
    const req = request(api.app).post('/graphql').set('content-type', 'application/json');
    if (token) void req.set('authorization', `Token ${token}`);
    return req.send({ query, variables });
  };
  return {
    api,
    auth,
    db,
    redis,
    roundTrips,
    gql,
    http: () => request(api.app),
    stop: async () => {
      await api.close();
      if (!options.sharing) {
        await redis.cleanup();
        await db.drop();
      }
    },
  };
}

/** Listens on port 0 (for WebSocket tests); returns the URL and a closer. */
export async function listen(
  api: GraphqlApp,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeSubscriptions = api.attachSubscriptions(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}/graphql`,
    close: async () => {
      await closeSubscriptions();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 7)}`;
}

export interface TestUser {
  username: string;
  email: string;
  token: string;
}

export async function registerUser(t: TestApi, prefix = 'user'): Promise<TestUser> {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  const res = await t
    .gql(`mutation ($input: RegisterInput!) { register(input: $input) { username email token } }`, {
      input: { username, email, password: 'correct horse battery' },
    })
    .expect(200);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return { username, email, token: res.body.data.register.token };
}

export async function createArticle(
  t: TestApi,
  user: TestUser,
  input: { title?: string; tagList?: string[] } = {},
): Promise<{ slug: string }> {
  const res = await t
    .gql(
      `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { slug } }`,
      {
        input: {
          title: input.title ?? unique('Title '),
          description: 'about it',
          body: 'the body',
          tagList: input.tagList ?? [],
        },
      },
      user.token,
    )
    .expect(200);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return { slug: res.body.data.createArticle.slug as string };
}

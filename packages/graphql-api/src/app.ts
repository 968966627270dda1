import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createAuthCore, loadAuthConfig } from '@roadmap/auth';
import { createConduit, noCache, redisCache, type ConduitAuth } from '@roadmap/conduit';
import { AppError, logger as defaultLogger, type Logger } from '@roadmap/kit';
import {
  createHttpApp,
  finishHttpApp,
  labelRoute,
  rateLimit,
  type HttpApp,
} from '@roadmap/kit/express';
import { specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { WebSocketServer } from 'ws';
import { actorFromAuthorization, type TokenVerifier } from './auth';
import { defaultGraphqlApiConfig, type GraphqlApiConfig } from './config';
import { buildContext, type ContextDeps, type GraphQLContext } from './context';
import { createFormatError, toGraphQLError, unavailableStatus } from './errors';
import { graphqlHttpErrors } from './http/graphql-errors';

import { tokenLimit } from './http/token-limit';
import { createRedisPubSub } from './pubsub';
import { createResolvers } from './resolvers';
import { createPublishComment } from './resolvers/subscription';

/** The SDL a learner reads first; resolvers and their types both come from it. */
export const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

/** What the app needs from auth's core: what conduit needs, plus token verification. */
export type AppAuth = ConduitAuth & TokenVerifier;

export type AppConfig = Omit<GraphqlApiConfig, 'PORT' | 'DATABASE_URL' | 'REDIS_URL'>;

export interface AppDeps {
  /** The pool conduit queries through (a test may pass a round-trip-counting wrapper). */
  pool: pg.Pool;
  redis: Redis;
  /** Default: createAuthCore() over the same pool and Redis, configured from the environment. */
  auth?: AppAuth;
  config?: Partial<AppConfig>;
  logger?: Logger;
  /** Channel prefix of the subscription pub/sub (tests isolate themselves with their own). */
  channelPrefix?: string;
  /** Resolvers without DataLoader batching: only for the N+1 lesson and the benchmark. */
  naive?: boolean;
}

export interface GraphqlApp extends HttpApp {
  schema: GraphQLSchema;
  /** Serves `graphql-ws` subscriptions on the listening server's /graphql. Returns its closer. */
  attachSubscriptions: (server: Server) => () => Promise<void>;
  /** Stops Apollo and the pub/sub connection (not the pool or Redis client it was given). */
  close: () => Promise<void>;
}

/**
 * Builds the API with real clients passed in; does not listen (src/main.ts does). The order
 * of the middleware below is the path of a request through the app.
 */
export async function buildApp(deps: AppDeps): Promise<GraphqlApp> {
  const { pool, redis } = deps;
  const config: AppConfig = { ...defaultGraphqlApiConfig(), ...deps.config };
  const log = deps.logger ?? defaultLogger;
  const auth: AppAuth = deps.auth ?? createAuthCore({ pool, redis, config: loadAuthConfig() });
  const production = config.NODE_ENV === 'production';
  const introspection = config.GRAPHQL_INTROSPECTION ?? !production;

  const conduit = createConduit({
    db: pool,
    auth,
    cache: config.CACHE_TTL_SECONDS > 0 ? redisCache(redis) : noCache,
    cacheTtlSeconds: config.CACHE_TTL_SECONDS,
  });
  const pubsub = createRedisPubSub(redis, deps.channelPrefix ?? 'conduit:graphql:');
  const contextDeps: ContextDeps = {
    conduit,
    publishComment: createPublishComment(pubsub, log),
    naive: deps.naive ?? false,
  };

  const schema = makeExecutableSchema<GraphQLContext>({
    typeDefs: readFileSync(SCHEMA_FILE, 'utf8'),
    resolvers: createResolvers(pubsub),
  });

  // Static checks on every operation before it runs: each limit is a variable (see config.ts).
  const armor = new ApolloArmor({
    // Why depth counts introspection too: its types are cyclic (type → fields → type …), so a
    // deep introspection query grows exponentially. (The standard one is 21 deep.)
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: false },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    maxTokens: { enabled: false }, // see http/token-limit.ts
    // "Did you mean …?" hints map a hidden schema for an attacker; off where introspection is.
    blockFieldSuggestion: { enabled: !introspection },
  });
  const protection = armor.protect();
  const formatError = createFormatError(config.NODE_ENV === 'development');

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection,
    // Why: a request any web page can make without asking (a form POST, a GET from an <img>)
    // must never run an operation, in case credentials ever travel as cookies. Apollo asks for
    // a JSON content type or a custom header, which such requests cannot have.
    csrfPrevention: true,
    // One operation per request: a batch of 1,000 logins would dodge the per-request limits.
    allowBatchedHttpRequests: false,
    // Why off: kit's graceful shutdown owns SIGTERM (drain, then the closers, apollo.stop()
    // among them). Apollo's own handler would stop it early and re-raise the signal, so the
    // process would end with 143 instead of 0 after finishing its requests.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.NODE_ENV === 'development',
    formatError,
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      unavailableStatus,
      // Why off: cache hints are for a CDN or Apollo's response cache, which this app has none
      // of; left on, the plugin wraps every field resolver (a measurable cost per article).
      ApolloServerPluginCacheControlDisabled(),
      introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const { app, health, metrics } = createHttpApp({
    name: 'graphql-api',
    jsonLimit: config.GRAPHQL_BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    logger: log,
    edge: [
      rateLimit({
        redis,
        max: config.RATE_LIMIT_MAX,
        windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        exempt: config.RATE_LIMIT_EXEMPT,
      }),
    ],
    readiness: [
      { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });

  /**
   * A bad token fails the whole request with 401 before any resolver runs: a client that sent
   * credentials expects to be recognised, not to be served the anonymous view.
   */
  const actorOf = async (authorization: string | undefined) => {
    try {
      return await actorFromAuthorization(auth, authorization);
    } catch (error) {
      throw error instanceof AppError ? toGraphQLError(error) : error;
    }
  };

  metrics.trackPool('main', pool);
  metrics.trackRedis('main', redis);
  // Apollo is middleware, not an Express route: name the series for /metrics (kit README).
  app.use('/graphql', labelRoute('/graphql'), tokenLimit(config.GRAPHQL_MAX_TOKENS));
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        buildContext(contextDeps, await actorOf(req.headers.authorization), req.ip ?? 'unknown'),
    }),
  );
  app.use('/graphql', graphqlHttpErrors(config.GRAPHQL_BODY_LIMIT, log));
  finishHttpApp(app);

  function attachSubscriptions(server: Server): () => Promise<void> {
    // ws accepts 100 MiB messages by default; a socket gets the same bound as a request body.
    const wsServer = new WebSocketServer({
      server,
      path: '/graphql',
      maxPayload: bytes(config.GRAPHQL_BODY_LIMIT),
    });
    const rules = [...specifiedRules, ...protection.validationRules];
    const disposable = useServer<Record<string, unknown>>(
      {
        schema,
        validate: (s, document) => validate(s, document, rules),
        // The same token as over HTTP, sent once in connection_init's payload: browsers cannot
        // set headers on a WebSocket. A bad token closes the socket (4403) before any operation.
        onConnect: async ({ connectionParams }) => {
          try {
            await actorFromAuthorization(auth, authorizationOf(connectionParams));
            return true;
          } catch {
            return false;
          }
        },
        context: async ({ connectionParams, extra }) =>
          buildContext(
            contextDeps,
            await actorFromAuthorization(auth, authorizationOf(connectionParams)),
            extra.request.socket.remoteAddress ?? 'unknown',
          ),
        // The same error shapes over the socket as over HTTP (extensions.code, nothing hidden leaks).
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors
            ? {
                ...result,
                errors: result.errors.map((error) => formatError(error.toJSON(), error)),
              }
            : undefined,
        isProd: production,
      },
      wsServer,
    );
    return async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    };
  }

  return {
    app,
    health,
    schema,
    attachSubscriptions,
    close: async () => {
      await apollo.stop();
      await pubsub.close();
    },
  };
}

/** `100kb` → 102400 (the format GRAPHQL_BODY_LIMIT is checked against). */
function bytes(limit: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(limit);
  if (!match) throw new Error(`GRAPHQL_BODY_LIMIT: not a size: ${limit}`);
  return Number(match[1]) * UNIT[match[2]!.toLowerCase() as keyof typeof UNIT];
}
const UNIT = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;

/** `{ authToken }` or `{ Authorization }` in connectionParams, as the header value. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const value = params?.Authorization ?? params?.authorization ?? params?.authToken;
  if (typeof value !== 'string' || value === '') return null;
  return params?.authToken === value && !/\s/.test(value) ? `Token ${value}` : value;
}

import { loadAuthConfig } from '@roadmap/auth';
import { createAuth, routeContext } from '@roadmap/auth/express';
import { createConduit, noCache, redisCache, weakEtag, type ConduitAuth } from '@roadmap/conduit';
import type { Logger } from '@roadmap/kit';
import {
  createMetrics,
  type Metrics,
  createHttpApp,
  finishHttpApp,
  rateLimit,
  type HttpApp,
  type OpenAPIRegistry,
} from '@roadmap/kit/express';
import { Router, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { articlesRoutes } from './articles.routes';
import { commentsRoutes } from './comments.routes';
import { defaultRestApiConfig, type RestApiConfig } from './config';
import { docsRouter } from './docs';
import { homeRouter } from './home';
import { cacheHeaders, edgeHeaders } from './http/security';
import { malformedUrl } from './http/url-errors';
import {
  createRegistry,
  generateDocument,
  registerOperations,
  type OpenApiDocument,
} from './openapi';
import { profilesRoutes } from './profiles.routes';
import { tagsRoutes } from './tags.routes';
import { usersRoutes } from './users.routes';

/** What the app needs from @roadmap/auth's createAuth() (its result fits as is). */
export interface AppAuth extends ConduitAuth {
  /** Sets req.auth from `Authorization: Token|Bearer <jwt>` or the session cookie. */
  authenticate: RequestHandler;
  /** /api/auth/*, /auth/session/*, /auth/oauth/*, /.well-known/jwks.json, /api/admin/*. */
  router: Router;
  /** The OpenAPI operations of `router`, declared with its routes (the app's document lists them). */
  registry: OpenAPIRegistry;
  /** Its hasher; `queued` (createAuth() has it) feeds the password_hash_queue_depth gauge. */
  passwords: ConduitAuth['passwords'] & { readonly queued?: number };
}

export type AppConfig = Pick<
  RestApiConfig,
  | 'JSON_BODY_LIMIT'
  | 'CORS_ORIGINS'
  | 'RATE_LIMIT_MAX'
  | 'RATE_LIMIT_WINDOW_SECONDS'
  | 'RATE_LIMIT_EXEMPT'
  | 'CACHE_TTL_SECONDS'
  | 'CACHE_KEY_PREFIX'
  | 'TRUST_PROXY'
>;

export interface AppDeps {
  pool: pg.Pool;
  redis: Redis;
  /** Default: createAuth() over the same pool and Redis, configured from the environment. */
  auth?: AppAuth;
  /** Default: every variable at its default (see config.ts); pass only what you change. */
  config?: Partial<AppConfig>;
  logger?: Logger;
}

export interface RestApp extends HttpApp {
  /** The registry /metrics renders (createHttpApp made it; buildApp added pool, cache, limiter). */
  metrics: Metrics;
  /** The OpenAPI 3.1 document served at /api/openapi.json. */
  document: OpenApiDocument;
  /** The router holding every Conduit route (the RBAC matrix test walks it). */
  conduitRouter: Router;
  /** auth's router, mounted after conduitRouter. */
  authRouter: Router;
  /** Releases what buildApp() created itself (not the pool or Redis client it was given). */
  close: () => Promise<void>;
}

/**
 * Why: a request with neither an Authorization header nor a cookie cannot carry an identity,
 * so the session machinery (cookie parsing, a session object per request) is skipped for it.
 * Anonymous reads are the hottest path of a blog; the result (no req.auth) is the same.
 */
function credentialsOnly(authenticate: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.headers.authorization === undefined && req.headers.cookie === undefined) {
      next();
      return;
    }
    authenticate(req, res, next);
  };
}

/**
 * Builds the whole API with real clients passed in; does not listen (src/main.ts does).
 * Middleware order is the request's path through the app, top to bottom.
 */
export function buildApp(deps: AppDeps): RestApp {
  const { pool, redis } = deps;
  const config: AppConfig = { ...defaultRestApiConfig(), ...deps.config };
  const ownAuth = deps.auth ? undefined : createAuth({ pool, redis, config: loadAuthConfig() });
  const auth: AppAuth = deps.auth ?? ownAuth!;
  const metrics = createMetrics({ service: 'rest-api' });
  const { app, health } = createHttpApp({
    name: 'rest-api',
    metrics,
    jsonLimit: config.JSON_BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    logger: deps.logger,
    // Before the body parser: a 400 (bad JSON) or 413 (too large) still carries the security
    // and CORS headers, and a preflight or a rate-limited request never has its body read.
    edge: [
      edgeHeaders(config.CORS_ORIGINS),
      rateLimit({
        redis,
        max: config.RATE_LIMIT_MAX,
        windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        exempt: config.RATE_LIMIT_EXEMPT,
        metrics,
      }),
    ],
    readiness: [
      { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });

  // What /metrics reports beyond HTTP (see the kit README's metrics section).
  metrics.trackPool('main', pool);
  metrics.trackRedis('main', redis);
  const { passwords } = auth;
  if (passwords.queued !== undefined)
    metrics.gaugeFrom(
      'password_hash_queue_depth',
      'Password hashes and verifications waiting for a free slot.',
      () => passwords.queued ?? 0,
    );

  // Express's own ETag, same format, hashed in one call (crypto.hash) instead of a Hash object.
  app.set('etag', weakEtag);

  app.use(cacheHeaders);
  app.use(credentialsOnly(auth.authenticate));

  const conduit = createConduit({
    db: pool,
    auth,
    cache:
      config.CACHE_TTL_SECONDS > 0
        ? metrics.countCache('conduit', redisCache(redis, config.CACHE_KEY_PREFIX))
        : noCache,
    cacheTtlSeconds: config.CACHE_TTL_SECONDS,
  });
  const registry = createRegistry();
  const conduitRouter = Router();
  const context = routeContext(conduitRouter, registry);
  usersRoutes(context, conduit);
  profilesRoutes(context, conduit);
  articlesRoutes(context, conduit);
  commentsRoutes(context, conduit);
  tagsRoutes(context, conduit);
  registerOperations(registry);

  const document = generateDocument(registry, auth.registry);
  app.use(homeRouter());
  app.use(docsRouter(document));
  app.use(conduitRouter);
  // Why after ours: auth's router runs its own `authenticate` for every request that enters
  // it; mounted last, only its own paths (and unknown ones, on their way to the 404) pay that.
  app.use(auth.router);

  app.use(malformedUrl);
  finishHttpApp(app);
  return {
    app,
    health,
    metrics,
    document,
    conduitRouter,
    authRouter: auth.router,
    close: async () => {
      await ownAuth?.close();
    },
  };
}

import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { AppError } from './errors';
import { Health, type ReadinessCheck } from './health';
import { logger as defaultLogger, requestContext, type Logger } from './logger';
import { createMetrics, metricsAllowList, metricsHandler, type Metrics } from './metrics';

export interface HttpAppOptions {
  name: string;
  readiness?: ReadinessCheck[];
  /** Largest JSON body accepted; bigger ones get 413. */
  jsonLimit?: string;
  logger?: Logger;
  /** Passed to Express's "trust proxy" (see the kit README before turning it on). */
  trustProxy?: boolean | number | string;
  /**
   * Middleware that must see every request before its body is read: security headers, CORS,
   * rate limits. Why here: a 400 for bad JSON or a 413 then still carries the security headers,
   * and a rate-limited client is refused before we spend time parsing what it sent.
   */
  edge?: RequestHandler[];
  /**
   * Whether /readyz says why a check failed (default: everywhere but production, where it
   * says only "down" and the reason goes to the log).
   */
  healthDetails?: boolean;
  /** The app's metrics registry (default: a new one named after the app); see the kit README. */
  metrics?: Metrics;
  /** Who may GET /metrics: addresses, CIDR ranges, `private` or `none` (default METRICS_ALLOW, else `private`). */
  metricsAllow?: string;
}

export interface HttpApp {
  app: Express;
  health: Health;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the Express app every service starts from: request ids, request logs, JSON bodies,
 * health endpoints. Mount the routes, then call finishHttpApp(app). Does not listen.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp & { metrics: Metrics } {
  const log = options.logger ?? defaultLogger;
  const health = new Health(options.readiness ?? [], undefined, {
    details: options.healthDetails ?? process.env.NODE_ENV !== 'production',
    logger: log,
  });
  const metrics = options.metrics ?? createMetrics({ service: options.name });
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.locals.logger = log;
  app.locals.health = health;
  app.locals.jsonLimit = options.jsonLimit ?? '100kb';
  app.locals.metrics = metrics;

  // First, so the duration covers every middleware; /metrics before the shutdown refusal,
  // so Prometheus can still scrape a draining instance.
  app.use(metrics.httpMiddleware);
  app.use(requestIdAndLogging(log));
  app.get(
    '/metrics',
    metricsHandler(
      metrics,
      metricsAllowList(options.metricsAllow ?? process.env.METRICS_ALLOW ?? 'private'),
    ),
  );
  app.use(refuseWhileShuttingDown(health));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await health.readiness();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  for (const middleware of options.edge ?? []) app.use(middleware);
  // strict: false — a body of `null` or `"text"` is valid JSON; the route's schema rejects it
  // with a 422 naming what is missing, which says more than "not valid JSON".
  const json = express.json({ limit: options.jsonLimit ?? '100kb', strict: false });
  // Why the test first: most requests (every GET) carry no body, and body-parser finds that out
  // only after some work of its own; this is the same test it makes (type-is's hasBody). Like
  // body-parser, it defines req.body (as undefined): Apollo's Express integration answers 500
  // when the property is missing, as if no body parser had been mounted.
  app.use((req, res, next) => {
    const { headers } = req;
    if (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) {
      if (!('body' in req)) (req as { body?: unknown }).body = undefined;
      next();
      return;
    }
    json(req, res, next);
  });
  return { app, health, metrics };
}

/** Adds the 404 handler and the one error handler. Call after every route is mounted. */
export function finishHttpApp(app: Express): Express {
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function requestIdAndLogging(log: Logger): RequestHandler {
  return (req, res, next) => {
    // Why accept the caller's id: a gateway or another service may already have one, and one
    // id across services is what makes a distributed log searchable.
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const failed = res.statusCode >= 500;
      // Why ask first: below the logger's level (the benchmark's `warn`) the line is never
      // written, so building it would only make garbage for the collector.
      if (!log.isLevelEnabled(failed ? 'error' : 'info')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // One line per request: a refused one (4xx) carries the error code and details the
      // error handler left in res.locals, instead of a second line of its own.
      const rejection = res.locals.rejection as { code: string; details: unknown } | undefined;
      const line = {
        requestId,
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...rejection,
      };
      if (failed) log.error(line, 'request failed');
      else log.info(line, rejection ? 'request rejected' : 'request');
    });
    requestContext.run({ requestId }, next);
  };
}

function refuseWhileShuttingDown(health: Health): RequestHandler {
  return (req, res, next) => {
    if (!health.isShuttingDown || req.path === '/healthz' || req.path === '/readyz') {
      next();
      return;
    }
    if (!health.isClosing) {
      // The drain delay: readiness already says 503 and the load balancer is taking us out;
      // until it has, we still serve, but each answer closes its connection so the client's
      // next request opens a new one — which the balancer sends to another instance.
      res.setHeader('connection', 'close');
      next();
      return;
    }
    // Why: a request arriving on an old keep-alive connection after SIGTERM is told to go
    // elsewhere (and the connection closes) instead of starting work we may have to cut off.
    res.setHeader('connection', 'close');
    next(AppError.unavailable('server is shutting down'));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new AppError({
      code: 'route_not_found',
      status: 404,
      message: `no route for ${req.method} ${req.path}`,
      field: 'route',
    }),
  );
};

/** Errors raised by body-parser carry a `type` and a `status`. */
interface ParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Turns anything thrown into an AppError; unknown errors become a 500 without details. */
export function toAppError(error: unknown, jsonLimit?: string): AppError {
  if (error instanceof AppError) return error;
  const parser = (typeof error === 'object' && error !== null ? error : {}) as ParserError;
  switch (parser.type) {
    case 'entity.parse.failed':
      return new AppError({
        code: 'malformed_json',
        status: 400,
        message: 'is not valid JSON',
        field: 'body',
        cause: error,
      });
    case 'entity.too.large':
      return AppError.payloadTooLarge(jsonLimit);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError({
        code: 'unsupported_encoding',
        status: 415,
        message: 'has an unsupported encoding',
        field: 'body',
        cause: error,
      });
    case 'request.aborted':
      return new AppError({
        code: 'aborted',
        status: 400,
        message: 'request aborted',
        field: 'body',
        cause: error,
      });
    case undefined:
    default:
      break;
  }
  // Express's router throws URIError for a path like /api/articles/%E0%A4%A.
  if (error instanceof URIError || (error as { name?: unknown } | null)?.name === 'URIError') {
    return new AppError({
      code: 'malformed_url',
      status: 400,
      message: 'is not a valid URL',
      field: 'url',
      cause: error,
    });
  }
  const status = parser.status ?? parser.statusCode;
  if (parser.expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError({
      code: 'bad_request',
      status,
      message: 'is invalid',
      field: 'body',
      cause: error,
    });
  }
  return AppError.internal(error);
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  const log = (req.app.locals.logger as Logger | undefined) ?? defaultLogger;
  const appError = toAppError(error, req.app.locals.jsonLimit as string | undefined);
  const requestId = res.getHeader('x-request-id');
  if (appError.isServerError) {
    log.error(
      { err: appError.cause ?? appError, code: appError.code, requestId },
      appError.message,
    );
  } else {
    res.locals.rejection = { code: appError.code, details: appError.details };
  }
  if (res.headersSent) {
    // Why: the status line is gone already; the only honest thing left is to cut the stream.
    next(error);
    return;
  }
  res.set(appError.headers);
  res.status(appError.status).json({ errors: appError.details, requestId });
};

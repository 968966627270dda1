// @roadmap/kit/express: the HTTP edge of the platform (the Express app every stage builds on,
// its error handler, and the server with graceful shutdown). Kept out of the main entry so a
// framework-free package (conduit, a message consumer) compiles without any Express type.
export {
  createHttpApp,
  finishHttpApp,
  errorHandler,
  notFoundHandler,
  toAppError,
  type HttpApp,
  type HttpAppOptions,
} from './http';
export {
  startHttpServer,
  createExpressServer,
  httpTimeouts,
  type HttpTimeouts,
  type RunningServer,
  type StartOptions,
} from './server';
export { rateLimit, type RateLimitOptions } from './rate-limit';
export {
  defineRoute,
  createRouteRegistry,
  type RouteDefinition,
  type RouteContext,
  type OtherResponse,
} from './route';
export {
  z,
  documented,
  genericErrorSchema,
  ERROR_RESPONSES,
  registerCommonComponents,
  toOpenApiPath,
  type ErrorStatus,
} from './openapi';
export type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
// Metrics live here, not in the main entry: their middleware is typed with Express, and the
// main entry stays framework-free for conduit (packages/conduit/test/framework-free.test.ts).
export {
  createMetrics,
  metricsAllowList,
  labelRoute,
  metricsHandler,
  startMetricsServer,
  UNMATCHED_ROUTE,
  HTTP_BUCKETS,
  type Metrics,
  type MetricsOptions,
  type EventMetrics,
  type PoolLike,
  type RedisStatusLike,
} from './metrics';

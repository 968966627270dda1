// @roadmap/kit: the framework-free platform (config, logging, errors, health, lifecycle).
// The Express app and server are in @roadmap/kit/express.
export {
  loadConfig,
  baseEnvShape,
  port,
  url,
  list,
  trustProxy,
  httpTimeoutsShape,
  ConfigError,
  type Config,
} from './config';
export {
  logger,
  createLogger,
  getRequestId,
  requestContext,
  type Logger,
  type RequestContext,
} from './logger';
export { AppError, isAppError, type AppErrorOptions, type ErrorDetails } from './errors';
export { parseOrThrow, issuesToDetails } from './validation';
export { Health, withTimeout, type ReadinessCheck, type HealthReport } from './health';
export {
  onShutdown,
  afterShutdown,
  shutdownAll,
  installProcessHandlers,
  closeAll,
  type Closer,
} from './lifecycle';
export { runMain, StartupError, loadDotEnv } from './main';
export {
  SERVICES,
  serviceUrl,
  probeService,
  probeServices,
  assertReachable,
  unreachableMessage,
  redactUrl,
  type ServiceName,
  type ServiceInfo,
  type ProbeResult,
} from './services';
export {
  createRedis,
  connectRedis,
  isRedisUnavailable,
  redisUnavailable,
  redisConfigShape,
  deleteKeysByPrefix,
  type RedisClientOptions,
} from './redis';
export { clientKey } from './client-key';
export {
  injectTraceHeaders,
  extractTraceContext,
  withSpan,
  publishSpan,
  consumeSpan,
  currentTraceIds,
  currentTraceparent,
  contextFromTraceparent,
  SpanKind,
  SpanStatusCode,
  type MessageHeaders,
} from './tracing';
export { tracingEnabled } from './otel-config';
export {
  createEventMetrics,
  HANDLER_BUCKETS,
  LAG_BUCKETS,
  type EventMetrics,
  type PublishOutcome,
  type ConsumeOutcome,
  type OutboxBacklogReader,
} from './event-metrics';
export { JsonResponse, jsonResponse, lastResponseMemo, weakEtag } from './json-response';
export { slugify, slugWithSuffix } from './slug';

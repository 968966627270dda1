export { loadConfig, baseEnvShape, port, url, ConfigError, type Config } from './config';
export {
  logger,
  createLogger,
  getRequestId,
  requestContext,
  type Logger,
  type RequestContext,
} from './logger';
export { AppError, isAppError, type AppErrorOptions, type ErrorDetails } from './errors';
export {
  createHttpApp,
  finishHttpApp,
  errorHandler,
  notFoundHandler,
  toAppError,
  type HttpApp,
  type HttpAppOptions,
} from './http';
export { Health, withTimeout, type ReadinessCheck, type HealthReport } from './health';
export { startHttpServer, type RunningServer, type StartOptions } from './server';
export {
  onShutdown,
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
  unreachableMessage,
  redactUrl,
  type ServiceName,
  type ServiceInfo,
  type ProbeResult,
} from './services';

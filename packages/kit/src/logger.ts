import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentTraceIds } from './tracing';

/** What we know about the request being served, wherever we are in its call stack. */
export interface RequestContext {
  requestId: string;
}

// Why AsyncLocalStorage: the request id follows the request through awaits, services and
// repositories without being passed as an argument to every function.
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function getRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export function createLogger(
  options: { level?: string; name?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      name: options.name,
      level:
        options.level ||
        // Empty is unset, as in .env.example (pino would throw on "").
        process.env.LOG_LEVEL ||
        (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
      // "level":"info" rather than 30: readable in a terminal, and what basics prints too.
      formatters: { level: (label) => ({ level: label }) },
      // Every line logged while serving a request carries that request's id, and the trace
      // and span ids when tracing runs: the way from a trace to its log lines and back.
      mixin: () => {
        const requestId = getRequestId();
        return { ...(requestId ? { requestId } : {}), ...currentTraceIds() };
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    options.destination ?? process.stdout,
  );
}

export const logger = createLogger();
export type { Logger };

/**
 * The tracing entry point, loaded BEFORE the app so auto-instrumentation can wrap http,
 * express, pg, ioredis, amqplib and mongodb as they are first required:
 *
 *   node --require @roadmap/kit/otel dist/main.js
 *   tsx --conditions=@roadmap/source --import @roadmap/kit/otel src/main.ts
 *
 * It starts the OpenTelemetry SDK only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, and never when NODE_ENV=test or
 * OTEL_SDK_DISABLED=true: with nowhere to send spans, recording them is pure cost.
 * Everything else (service name, sampler, protocol) comes from the standard OTEL_* variables.
 */
import { tracingEnabled } from './otel-config';
import type * as Sdk from './otel-sdk';

if (tracingEnabled(process.env)) {
  // Why require() here and not an import at the top: when tracing is off, the SDK and its ~40
  // instrumentation packages are never loaded, so start-up costs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./otel-sdk') as typeof Sdk).startTracing();
}

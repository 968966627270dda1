import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterShutdown } from './lifecycle';

/** Starts the Node SDK: OTLP trace exporter, W3C trace context, auto-instrumentation. */
export function startTracing(): NodeSDK {
  // Metrics go through prom-client's /metrics and logs through pino's stdout; the SDK would
  // otherwise try to export both over OTLP too.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    instrumentations: [
      getNodeAutoInstrumentations({
        // kit's logger adds trace_id/span_id itself (also when no SDK runs), and fs/dns/net
        // spans would drown one request's trace in hundreds of tiny children.
        '@opentelemetry/instrumentation-pino': { enabled: false },
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
        // Express 5 routes through the `router` package; the express instrumentation already
        // makes one span per middleware, and this one would make each a second time.
        '@opentelemetry/instrumentation-router': { enabled: false },
        // The events bus makes its PRODUCER/CONSUMER spans itself (kit's publishSpan and
        // consumeSpan), with the outbox row's stored context as the parent; this one would add
        // a second span per publish and per delivery, parented on whatever happened to be active.
        '@opentelemetry/instrumentation-amqplib': { enabled: false },
        // Only queries inside a traced operation: the relay's outbox poll, the LISTEN
        // connection, health checks and Redis pings would otherwise each start a root trace
        // every second.
        '@opentelemetry/instrumentation-pg': { requireParentSpan: true },
        '@opentelemetry/instrumentation-ioredis': { requireParentSpan: true },
        '@opentelemetry/instrumentation-mongodb': { requireParentSpan: true },
        // Probes and scrapes every few seconds are not traffic worth a trace.
        '@opentelemetry/instrumentation-http': {
          ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
        },
      }),
    ],
  });
  sdk.start();
  // Last step of graceful shutdown: the spans of the requests that just drained are flushed.
  afterShutdown(() => sdk.shutdown());
  return sdk;
}

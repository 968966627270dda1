import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Registry } from 'prom-client';

export interface TestTracing {
  /** Every finished span so far, oldest first. */
  spans: () => ReadableSpan[];
  /** The finished spans with this name (throws when there is none). */
  named: (name: string) => ReadableSpan[];
  /** The one finished span with this name whose attribute `key` is `value`, if given. */
  one: (name: string, where?: Record<string, unknown>) => ReadableSpan;
  /** The parent's span id, or undefined for a root span. */
  parentOf: (span: ReadableSpan) => string | undefined;
  reset: () => void;
  /** Unregisters the provider: call in afterAll. */
  stop: () => Promise<void>;
}

/**
 * The SDK as src/otel.ts starts it, minus auto-instrumentation (jest's module loader is not
 * Node's, so require hooks cannot wrap pg or http here) and with spans kept in memory: context
 * follows async calls through AsyncLocalStorage and propagation speaks W3C trace context. One
 * per test file (the global provider is process-wide).
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const named = (name: string) => {
    const found = exporter.getFinishedSpans().filter((s) => s.name === name);
    if (found.length === 0) {
      const seen = [...new Set(exporter.getFinishedSpans().map((s) => s.name))].join(', ');
      throw new Error(`no span named "${name}" (spans: ${seen})`);
    }
    return found;
  };
  return {
    spans: () => exporter.getFinishedSpans(),
    named,
    one: (name, where = {}) => {
      const found = named(name).filter((s) =>
        Object.entries(where).every(([key, value]) => s.attributes[key] === value),
      );
      if (found.length !== 1)
        throw new Error(`${found.length} spans named "${name}" match ${JSON.stringify(where)}`);
      return found[0]!;
    },
    parentOf: (span) => span.parentSpanContext?.spanId,
    reset: () => exporter.reset(),
    stop: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * A counter's or gauge's value in a registry (for a histogram, name its `_count` or `_sum`),
 * summed over every series that has the given labels (others may differ): 0 when none exists.
 */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = registry.getSingleMetric(base) ?? registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric named ${name}`);
  const { values } = await metric.get();
  return values
    .filter(
      (v) =>
        ((v as { metricName?: string }).metricName ?? base) === name &&
        Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value),
    )
    .reduce((sum, v) => sum + v.value, 0);
}

/** Polls until check() returns true, or fails with the message after timeoutMs. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

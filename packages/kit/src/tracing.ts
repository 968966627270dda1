import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * Message headers as AMQP clients hand them over: strings, or Buffers for long strings.
 * The same shape serves an outbox row's `headers` JSON column.
 */
export type MessageHeaders = Record<string, unknown>;

const setter: TextMapSetter<MessageHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<MessageHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  },
};

/**
 * Writes the current trace context (W3C `traceparent`, and `tracestate` when there is one)
 * into message headers. Call it where the message is born — for an outbox, when the row is
 * written inside the request — so the consumer's span becomes a child of that request even
 * though the relay publishes it later. Without a started SDK it writes nothing.
 */
export function injectTraceHeaders(
  headers: MessageHeaders = {},
  from: Context = context.active(),
): MessageHeaders {
  propagation.inject(from, headers, setter);
  return headers;
}

/** The trace context a message carried (the root context when it carried none). */
export function extractTraceContext(headers: MessageHeaders | undefined | null): Context {
  return propagation.extract(context.active(), headers ?? {}, getter);
}

const tracer = () => trace.getTracer('@roadmap/kit');

/**
 * Runs `work` inside a new span (a child of `parent`, default the active context) and ends it,
 * marking it failed if `work` throws. Spans started inside `work` become its children.
 */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; parent?: Context; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * The active span's W3C `traceparent`, to store with something that outlives the request (an
 * outbox row). Undefined when no span is recording (no SDK started, or outside any span).
 */
export function currentTraceparent(from: Context = context.active()): string | undefined {
  const value = injectTraceHeaders({}, from).traceparent;
  return typeof value === 'string' ? value : undefined;
}

/** The context a stored `traceparent` stands for (the active context when there is none). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? extractTraceContext({ traceparent }) : context.active();
}

/**
 * A PRODUCER span around a publish; `work` gets headers that already carry its context.
 * `parent` (default the active context) is how a relay publishes an outbox row as a child of
 * the request that wrote it: pass `contextFromTraceparent(row.traceparent)`.
 */
export function publishSpan<T>(
  destination: string,
  work: (headers: MessageHeaders) => Promise<T>,
  headers: MessageHeaders = {},
  options: { parent?: Context; attributes?: Attributes } = {},
): Promise<T> {
  return withSpan(
    `publish ${destination}`,
    {
      kind: SpanKind.PRODUCER,
      parent: options.parent,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': destination,
        ...options.attributes,
      },
    },
    () => work(injectTraceHeaders(headers)),
  );
}

/** A CONSUMER span whose parent is the context the message carried. */
export function consumeSpan<T>(
  source: string,
  headers: MessageHeaders | undefined | null,
  work: (span: Span) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  return withSpan(
    `process ${source}`,
    {
      kind: SpanKind.CONSUMER,
      parent: extractTraceContext(headers),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.destination.name': source,
        ...attributes,
      },
    },
    work,
  );
}

/** The active span's ids for log lines, or nothing when no span is recording. */
export function currentTraceIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

export { SpanKind, SpanStatusCode };

import { Writable } from 'node:stream';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import amqp from 'amqplib';
import request from 'supertest';
import { createHttpApp, finishHttpApp } from '../src/http';
import { createLogger } from '../src/logger';
import { tracingEnabled } from '../src/otel-config';
import { createTestAmqp, type TestAmqp } from '../src/testing';
import {
  consumeSpan,
  extractTraceContext,
  injectTraceHeaders,
  publishSpan,
  withSpan,
} from '../src/tracing';

// The SDK as src/otel.ts would start it, minus auto-instrumentation (jest's module loader is
// not Node's, so require hooks cannot wrap http here): spans go to memory, context follows
// async calls through AsyncLocalStorage, and propagation speaks W3C trace context.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
});

beforeAll(() => {
  provider.register({ propagator: new W3CTraceContextPropagator() });
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => {
  exporter.reset();
  lines.length = 0;
});

const byName = (name: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span) throw new Error(`no span named ${name}`);
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('trace context across HTTP and a message broker', () => {
  let broker: TestAmqp;
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;
  beforeAll(async () => {
    broker = await createTestAmqp('kit-tracing');
    connection = await amqp.connect(broker.url);
    channel = await connection.createChannel();
  });
  afterAll(async () => {
    await connection.close();
    await broker.cleanup();
  });

  it('when a request publishes a message and a consumer handles it, then client → server → publish → process form one parent/child chain, and the log lines carry its ids', async () => {
    const queue = broker.name('articles');
    await channel.assertQueue(queue, { durable: false });

    const consumed = new Promise<string>((resolve, reject) => {
      void channel.consume(queue, (message) => {
        if (!message) return;
        const headers = message.properties.headers;
        consumeSpan(queue, headers, () => {
          logger.info({ slug: message.content.toString() }, 'article event handled');
          channel.ack(message);
          return Promise.resolve(message.content.toString());
        }).then(resolve, reject);
      });
    });

    const { app } = createHttpApp({ name: 'tracing-test', logger });
    app.post('/api/articles', async (req, res) => {
      // What instrumentation-http does for every request when the SDK runs in production.
      await withSpan(
        'POST /api/articles',
        { kind: SpanKind.SERVER, parent: extractTraceContext(req.headers) },
        async () => {
          logger.info('article created');
          await publishSpan(queue, (headers) => {
            channel.sendToQueue(queue, Buffer.from('hello-world'), { headers });
            return Promise.resolve();
          });
          res.status(201).json({ ok: true });
        },
      );
    });
    finishHttpApp(app);

    await withSpan('client', { kind: SpanKind.CLIENT }, async () => {
      await request(app)
        .post('/api/articles')
        .set(injectTraceHeaders({}) as Record<string, string>)
        .expect(201);
    });
    expect(await consumed).toBe('hello-world');

    const client = byName('client');
    const server = byName('POST /api/articles');
    const publish = byName(`publish ${queue}`);
    const processing = byName(`process ${queue}`);
    const traceId = client.spanContext().traceId;
    for (const span of [server, publish, processing])
      expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(server)).toBe(client.spanContext().spanId);
    expect(parentOf(publish)).toBe(server.spanContext().spanId);
    expect(parentOf(processing)).toBe(publish.spanContext().spanId);
    expect([publish.kind, processing.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER]);

    const created = lines.find((line) => line.msg === 'article created');
    expect(created).toMatchObject({ trace_id: traceId, span_id: server.spanContext().spanId });
    expect(created?.requestId).toEqual(expect.any(String));
    const handled = lines.find((line) => line.msg === 'article event handled');
    expect(handled).toMatchObject({
      trace_id: traceId,
      span_id: processing.spanContext().spanId,
      slug: 'hello-world',
    });
  });

  it('when a message carries no trace context, then its consumer starts a new trace instead of failing', async () => {
    await consumeSpan('orphans', undefined, () => Promise.resolve());
    const span = byName('process orphans');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('when a header arrives as a Buffer (how AMQP may hand over long strings), then it is still read', async () => {
    const headers = await withSpan('origin', {}, () => Promise.resolve(injectTraceHeaders({})));
    const asBuffers = { traceparent: Buffer.from(String(headers.traceparent)) };
    await consumeSpan('buffers', asBuffers, () => Promise.resolve());
    expect(parentOf(byName('process buffers'))).toBe(byName('origin').spanContext().spanId);
  });
});

describe('when tracing starts', () => {
  it('when no OTLP endpoint is set, under NODE_ENV=test or with OTEL_SDK_DISABLED, then it stays off; with an endpoint it starts', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(
      tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', NODE_ENV: 'test' }),
    ).toBe(false);
    expect(
      tracingEnabled({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toBe(true);
    expect(
      tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces' }),
    ).toBe(true);
  });
});

// The outbox keeps the trace: a row written inside a traced request stores that trace's
// context, so the relay's publish (in packages/events) continues the same trace.
import { SpanKind, withSpan } from '@roadmap/kit';
import { startTestTracing, type TestTracing } from '@roadmap/kit/testing';
import { insertOutboxEvent, withTransaction } from '../src';
import { useMigratedDatabase, unique } from './support/database';

const db = useMigratedDatabase('outbox_trace');
let tracing: TestTracing;

beforeAll(() => {
  tracing = startTestTracing();
});
afterAll(() => tracing.stop());
beforeEach(() => tracing.reset());

describe('the outbox and the trace', () => {
  test('when an event is written inside a traced request, then its row stores the traceparent of an "outbox insert" span, child of the request', async () => {
    const aggregate = unique('agg');
    const row = await withSpan('POST /api/articles', { kind: SpanKind.SERVER }, () =>
      withTransaction(db.pool, (client) =>
        insertOutboxEvent(client, { aggregate, type: 'article.published', payload: {} }),
      ),
    );
    const request = tracing.one('POST /api/articles');
    const insert = tracing.one('outbox insert', { 'outbox.aggregate': aggregate });
    expect(tracing.parentOf(insert)).toBe(request.spanContext().spanId);
    const { traceId, spanId } = insert.spanContext();
    expect(row.traceparent).toBe(`00-${traceId}-${spanId}-01`);

    const { rows } = await db.pool.query<{ traceparent: string }>(
      'SELECT traceparent FROM outbox WHERE id = $1',
      [row.id],
    );
    expect(rows[0]?.traceparent).toBe(row.traceparent);
  });

  test('when an event is written outside any span, then its insert span starts a trace of its own; an explicit null stores none and an explicit traceparent is kept', async () => {
    const given = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const untraced = await insertOutboxEvent(db.pool, {
      aggregate: unique('agg'),
      type: 'T',
      payload: {},
    });
    // Outside a span, the insert's own span is a root span: its context is what is stored.
    const root = tracing.one('outbox insert', { 'outbox.aggregate': untraced.aggregate });
    expect(tracing.parentOf(root)).toBeUndefined();
    expect(untraced.traceparent).toContain(root.spanContext().traceId);

    const none = await withSpan('request', {}, () =>
      insertOutboxEvent(db.pool, {
        aggregate: unique('agg'),
        type: 'T',
        payload: {},
        traceparent: null,
      }),
    );
    expect(none.traceparent).toBeNull();
    const explicit = await withSpan('request', {}, () =>
      insertOutboxEvent(db.pool, {
        aggregate: unique('agg'),
        type: 'T',
        payload: {},
        traceparent: given,
      }),
    );
    expect(explicit.traceparent).toBe(given);
  });
});

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** How a publish ended: the broker confirmed it, returned it (no queue bound) or it failed. */
export type PublishOutcome = 'confirmed' | 'unroutable' | 'failed';

/**
 * How a delivery ended: `ack` (handled), `retry` (parked in a delay queue), `dead_lettered`
 * (moved to the dead-letter queue: handler gave up or the message broke its contract) or
 * `requeued` (the retry or dead letter could not be written; handed back to the broker).
 */
export type ConsumeOutcome = 'ack' | 'retry' | 'dead_lettered' | 'requeued';

/** What the relay reads to report its backlog (data-sql's `outboxBacklog(pool)` has this shape). */
export type OutboxBacklogReader = () => Promise<{ unpublished: number; oldestAgeMs: number }>;

/**
 * The event pipeline's metrics. Every app's registry has them (createMetrics calls
 * createEventMetrics), so names and help texts live in this one file; they show no series
 * until packages/events records something. The kit README lists them with their alerts.
 */
export interface EventMetrics {
  /** events_published_total{event_type,outcome}: publishes by outcome (PublishOutcome). */
  published: Counter<'event_type' | 'outcome'>;
  /** outbox_relay_batch_duration_seconds{outcome}: claim → publish all → confirm → commit. */
  relayBatchDuration: Histogram<'outcome'>;
  /** events_consumed_total{consumer,event_type,outcome}: deliveries by outcome (ConsumeOutcome). */
  consumed: Counter<'consumer' | 'event_type' | 'outcome'>;
  /** events_handler_duration_seconds{consumer,event_type}: the handler alone, failures included. */
  handlerDuration: Histogram<'consumer' | 'event_type'>;
  /**
   * events_consumer_lag_seconds{consumer}: the event's age (now − occurredAt, i.e. since its
   * outbox row was written) when a consumer starts its first attempt — outbox wait, relay,
   * broker queue and prefetch together. Retries are not observed: their delay is deliberate.
   */
  consumerLag: Histogram<'consumer'>;
  /**
   * outbox_backlog_events{outbox} and outbox_oldest_event_age_seconds{outbox}, read from
   * `read` when Prometheus scrapes (one query serves both gauges).
   */
  trackOutbox(outbox: string, read: OutboxBacklogReader): void;
  /** events_dead_letter_queue_messages{queue}: messages in a dead-letter queue, read at scrape. */
  trackDeadLetterQueue(queue: string, read: () => Promise<number | undefined>): void;
}

/**
 * Seconds. Handlers are database writes (milliseconds); lag spans the relay's poll interval
 * (1 s) up to the retry delays (30 s) and beyond, when a consumer has fallen behind.
 */
export const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export function createEventMetrics(registry: Registry): EventMetrics {
  const outboxes = new Map<string, OutboxBacklogReader>();
  // Both outbox gauges are collected in the same scrape (prom-client starts every collect
  // before awaiting any): they share the one query in flight instead of running two.
  const inFlight = new Map<string, ReturnType<OutboxBacklogReader>>();
  const backlog = (outbox: string, read: OutboxBacklogReader) => {
    let value = inFlight.get(outbox);
    if (!value) {
      value = read();
      inFlight.set(outbox, value);
      const done = () => void inFlight.delete(outbox);
      value.then(done, done);
    }
    return value;
  };
  const outboxGauge = (
    name: string,
    help: string,
    pick: (b: { unpublished: number; oldestAgeMs: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['outbox'] as const,
      registers: [registry],
      async collect() {
        for (const [outbox, read] of outboxes) {
          // Database unreachable: the series disappears for this scrape rather than showing a
          // stale value (or failing the whole scrape); readiness reports the outage.
          const value = await backlog(outbox, read).then(pick, () => undefined);
          if (value === undefined) this.remove({ outbox });
          else this.set({ outbox }, value);
        }
      },
    });
  outboxGauge(
    'outbox_backlog_events',
    'Outbox rows written and not yet published.',
    (b) => b.unpublished,
  );
  outboxGauge(
    'outbox_oldest_event_age_seconds',
    'Age of the oldest unpublished outbox row (0 when the outbox is empty).',
    (b) => b.oldestAgeMs / 1000,
  );

  const deadLetterQueues = new Map<string, () => Promise<number | undefined>>();
  new Gauge({
    name: 'events_dead_letter_queue_messages',
    help: 'Messages waiting in a consumer dead-letter queue (read from the broker at scrape time).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const [queue, read] of deadLetterQueues) {
        const value = await read().catch(() => undefined);
        if (value === undefined) this.remove({ queue });
        else this.set({ queue }, value);
      }
    },
  });

  return {
    published: new Counter({
      name: 'events_published_total',
      help: 'Events published to the broker, by outcome (confirmed, unroutable, failed).',
      labelNames: ['event_type', 'outcome'] as const,
      registers: [registry],
    }),
    relayBatchDuration: new Histogram({
      name: 'outbox_relay_batch_duration_seconds',
      help: 'Outbox relay batches that moved rows (or failed): claim, publish, confirms and commit.',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'events_consumed_total',
      help: 'Event deliveries a consumer finished, by outcome (ack, retry, dead_lettered, requeued).',
      labelNames: ['consumer', 'event_type', 'outcome'] as const,
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'events_handler_duration_seconds',
      help: 'Time an event handler ran, failures included.',
      labelNames: ['consumer', 'event_type'] as const,
      buckets: HANDLER_BUCKETS,
      registers: [registry],
    }),
    consumerLag: new Histogram({
      name: 'events_consumer_lag_seconds',
      help: 'Age of an event (since it was written to the outbox) when its consumer first handles it.',
      labelNames: ['consumer'] as const,
      buckets: LAG_BUCKETS,
      registers: [registry],
    }),
    trackOutbox: (outbox, read) => void outboxes.set(outbox, read),
    trackDeadLetterQueue: (queue, read) => void deadLetterQueues.set(queue, read),
  };
}

import pg from 'pg';
import {
  claimOutboxBatch,
  markOutboxPublished,
  outboxBacklog,
  OUTBOX_CHANNEL,
  withTransaction,
  type OutboxEvent,
} from '@roadmap/data-sql';
import { logger as defaultLogger, type EventMetrics, type Logger } from '@roadmap/kit';
import type { Envelope } from '../contracts/envelope';
import type { PublishResult } from '../bus/publisher';

/** What the relay needs from a publisher (the bus's Publisher, or anything with confirms). */
export interface EventSink {
  publish(event: Envelope): Promise<PublishResult>;
}

export interface RelayOptions {
  pool: pg.Pool;
  /** Connection string for the LISTEN connection (a pooled client cannot keep a LISTEN). */
  databaseUrl: string;
  sink: EventSink;
  batchSize?: number;
  /** Polls this often when no NOTIFY arrives (default 1 s). */
  pollIntervalMs?: number;
  logger?: Logger;
  /**
   * Records outbox_relay_batch_duration_seconds and reports outbox_backlog_events /
   * outbox_oldest_event_age_seconds (read from the outbox at scrape time) under `outbox`.
   */
  metrics?: EventMetrics;
  /** The `outbox` label (default "conduit": the outbox this relay drains). */
  outbox?: string;
}

/** An outbox row as the envelope consumers receive. */
export function toEnvelope(row: OutboxEvent): Envelope {
  return {
    id: row.eventId,
    type: row.type,
    version: row.version,
    occurredAt: row.createdAt.toISOString(),
    aggregateId: row.aggregate,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    data: row.payload,
  };
}

/**
 * The transactional outbox relay: moves committed outbox rows to the broker.
 *
 * One batch is one transaction: claim rows (FOR UPDATE SKIP LOCKED), publish them all and wait
 * for every confirm, mark them published, COMMIT. A crash anywhere before COMMIT leaves the rows
 * unpublished and unlocked, so another relay (or this one, restarted) publishes them again:
 * at-least-once, never lost; consumers deduplicate by event id.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private pending = false;
  private listener: pg.Client | undefined;
  private readonly log: Logger;
  private published = 0;
  private lastError: string | undefined;

  constructor(private readonly options: RelayOptions) {
    this.log = options.logger ?? defaultLogger;
    options.metrics?.trackOutbox(options.outbox ?? 'conduit', () => outboxBacklog(options.pool));
  }

  get stats() {
    return { published: this.published, lastError: this.lastError, listening: !!this.listener };
  }

  start(): void {
    this.stopping = false;
    void this.listen();
    this.running ??= this.loop();
  }

  /** Finishes the batch in flight (its COMMIT included), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    await this.running;
    this.running = undefined;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private poke(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Publishes one batch; returns how many rows it moved (0: nothing to do). */
  async relayBatch(): Promise<number> {
    const histogram = this.options.metrics?.relayBatchDuration;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const moved = await this.moveBatch();
      // Empty polls are not batches: counting them would bury the real ones.
      if (moved > 0) histogram?.observe({ outcome: 'ok' }, seconds());
      return moved;
    } catch (err) {
      histogram?.observe({ outcome: 'failed' }, seconds());
      throw err;
    }
  }

  private moveBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    return withTransaction(this.options.pool, async (client) => {
      const rows = await claimOutboxBatch(client, batchSize);
      if (rows.length === 0) return 0;
      // One channel keeps publish order, so rows of an aggregate enter the queue in id order;
      // all confirms are awaited together (pipelining), not one round trip per row.
      await Promise.all(rows.map((row) => this.options.sink.publish(toEnvelope(row))));
      await markOutboxPublished(
        client,
        rows.map((row) => row.id),
      );
      return rows.length;
    });
  }

  private async loop(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let failures = 0;
    while (!this.stopping) {
      this.pending = false;
      let moved = 0;
      try {
        moved = await this.relayBatch();
        this.published += moved;
        failures = 0;
        this.lastError = undefined;
      } catch (err) {
        failures++;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.log.warn({ err, failures }, 'outbox batch failed; it stays unpublished');
        await this.sleep(Math.min(10_000, 100 * 2 ** Math.min(failures, 7)));
        continue;
      }
      // A full batch means more may be waiting: go again at once.
      if (moved < batchSize && !this.pending)
        await this.sleep(this.options.pollIntervalMs ?? 1_000);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  /**
   * LISTEN on a dedicated connection: a NOTIFY wakes the loop at once. If the connection is
   * lost, polling carries on and the listener reconnects with backoff.
   */
  private async listen(failures = 0): Promise<void> {
    if (this.stopping) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    client.on('notification', () => this.poke());
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost || this.stopping) return;
      lost = true;
      this.log.warn({ err }, 'outbox LISTEN connection lost; polling until it is back');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen(1), 1_000).unref();
    };
    client.on('error', onLost);
    client.on('end', () => {
      if (this.listener === client) onLost();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.stopping) {
        await client.end();
        return;
      }
      this.listener = client;
      this.poke(); // rows may have been committed while we were not listening
    } catch (err) {
      await client.end().catch(() => undefined);
      this.log.warn({ err }, 'outbox LISTEN failed; polling only for now');
      const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      setTimeout(() => void this.listen(failures + 1), delay).unref();
    }
  }
}

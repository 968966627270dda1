import { currentTraceparent, withSpan } from '@roadmap/kit';
import { query, type Db } from '../db/pool';

export interface OutboxEvent {
  /** bigint: returned as a string, because it can exceed Number.MAX_SAFE_INTEGER. */
  id: string;
  /** The event id consumers deduplicate by (a UUID fixed when the row is written). */
  eventId: string;
  /** The aggregate (stream) the event belongs to, e.g. "article:42"; order is kept per value. */
  aggregate: string;
  type: string;
  version: number;
  payload: unknown;
  traceparent: string | null;
  createdAt: Date;
  publishedAt: Date | null;
}

export interface NewOutboxEvent {
  aggregate: string;
  type: string;
  payload: unknown;
  /** Default 1. */
  version?: number;
  /**
   * Default: the active trace context, so the relay's publish and every consumer continue the
   * trace of the request that wrote the event. `null` stores none.
   */
  traceparent?: string | null;
  /** Default: a fresh UUID from the database. */
  eventId?: string;
}

/** The channel the outbox trigger NOTIFYs on commit (see the outbox-envelope migration). */
export const OUTBOX_CHANNEL = 'outbox_inserted';

interface OutboxRow {
  id: string;
  event_id: string;
  aggregate: string;
  type: string;
  version: number;
  payload: unknown;
  traceparent: string | null;
  created_at: Date;
  published_at: Date | null;
}

const toEvent = (r: OutboxRow): OutboxEvent => ({
  id: r.id,
  eventId: r.event_id,
  aggregate: r.aggregate,
  type: r.type,
  version: r.version,
  payload: r.payload,
  traceparent: r.traceparent,
  createdAt: r.created_at,
  publishedAt: r.published_at,
});

/**
 * Advisory-lock classes (the first key of pg_advisory_xact_lock(int, int)); the second key is
 * hashtext(aggregate). Writers and relays use different classes so that a relay stuck on a slow
 * broker never blocks a write.
 */
const WRITER_LOCK = 0x0b0e;
const RELAY_LOCK = 0x0b0f;

/**
 * Call with the transaction's client, so the event commits (or not) with the change.
 *
 * Why the advisory lock: identity values are handed out at INSERT but become visible at COMMIT,
 * so two transactions writing events of the same aggregate could commit in the opposite order
 * of their ids, and the relay would publish the later one first. Holding a per-aggregate lock
 * until commit makes ids of one aggregate commit in order. Writers of different aggregates do
 * not wait for each other.
 */
export function insertOutboxEvent(db: Db, event: NewOutboxEvent): Promise<OutboxEvent> {
  // Why a span of its own: the row stores this span's context, so the trace reads
  // request → "outbox insert" → relay publish → consumer, whatever the pg spans around it are.
  return withSpan(
    'outbox insert',
    { attributes: { 'messaging.message.type': event.type, 'outbox.aggregate': event.aggregate } },
    async () => {
      await query(db, 'SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        WRITER_LOCK,
        event.aggregate,
      ]);
      const traceparent =
        event.traceparent === undefined ? (currentTraceparent() ?? null) : event.traceparent;
      const { rows } = await query<OutboxRow>(
        db,
        `INSERT INTO outbox (aggregate, type, payload, version, traceparent, event_id)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6::uuid, gen_random_uuid()))
         RETURNING *`,
        [
          event.aggregate,
          event.type,
          JSON.stringify(event.payload),
          event.version ?? 1,
          traceparent,
          event.eventId ?? null,
        ],
      );
      return toEvent(rows[0]!);
    },
  );
}

/**
 * Oldest unpublished events, locked for this transaction. Use inside withTransaction, publish,
 * then markOutboxPublished before COMMIT.
 *
 * - FOR UPDATE SKIP LOCKED: several relays run at once; a row claimed by one is skipped by the
 *   others instead of being published twice or waited for.
 * - The per-aggregate try-lock keeps order per aggregate across relays: a relay claims rows of
 *   an aggregate only while it holds that aggregate's lock, so no other relay can publish a
 *   later event of it before this one commits.
 * - Why the inner query: `OFFSET 0` keeps the try-lock above the ORDER BY, so it runs row by
 *   row in id order and stops at LIMIT, locking only the aggregates of the rows returned (in a
 *   flat query the planner may test every row before sorting, locking aggregates it never
 *   returns). The outer `published_at IS NULL` is re-checked on rows another relay has just
 *   published, so those are dropped rather than published again.
 */
export async function claimOutboxBatch(db: Db, limit = 100): Promise<OutboxEvent[]> {
  const { rows } = await query<OutboxRow>(
    db,
    `SELECT o.* FROM outbox o
      WHERE o.published_at IS NULL
        AND o.id IN (
          SELECT c.id
            FROM (SELECT id, aggregate FROM outbox WHERE published_at IS NULL
                   ORDER BY id OFFSET 0) AS c
           WHERE pg_try_advisory_xact_lock($2, hashtext(c.aggregate))
           LIMIT $1)
      ORDER BY o.id
      FOR UPDATE SKIP LOCKED`,
    [limit, RELAY_LOCK],
  );
  return rows.map(toEvent);
}

export async function markOutboxPublished(db: Db, ids: string[]): Promise<number> {
  const { rowCount } = await query(
    db,
    'UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return rowCount ?? 0;
}

/**
 * The relay's backlog: rows not yet published, and how long the oldest has waited (0 when
 * none) — the lag a consumer sees on top of its own queue.
 */
export async function outboxBacklog(db: Db): Promise<{ unpublished: number; oldestAgeMs: number }> {
  const { rows } = await query<{ n: number; age_ms: number }>(
    db,
    `SELECT count(*)::int AS n,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)) * 1000, 0)::float8 AS age_ms
       FROM outbox WHERE published_at IS NULL`,
  );
  return { unpublished: rows[0]?.n ?? 0, oldestAgeMs: Math.round(rows[0]?.age_ms ?? 0) };
}

import { query, type Db } from '../db/pool';

export interface OutboxEvent {
  /** bigint: returned as a string, because it can exceed Number.MAX_SAFE_INTEGER. */
  id: string;
  aggregate: string;
  type: string;
  payload: unknown;
  createdAt: Date;
  publishedAt: Date | null;
}

interface OutboxRow {
  id: string;
  aggregate: string;
  type: string;
  payload: unknown;
  created_at: Date;
  published_at: Date | null;
}

const toEvent = (r: OutboxRow): OutboxEvent => ({
  id: r.id,
  aggregate: r.aggregate,
  type: r.type,
  payload: r.payload,
  createdAt: r.created_at,
  publishedAt: r.published_at,
});

/** Call with the transaction's client, so the event commits (or not) with the change. */
export async function insertOutboxEvent(
  db: Db,
  event: { aggregate: string; type: string; payload: unknown },
): Promise<OutboxEvent> {
  const { rows } = await query<OutboxRow>(
    db,
    'INSERT INTO outbox (aggregate, type, payload) VALUES ($1, $2, $3) RETURNING *',
    [event.aggregate, event.type, JSON.stringify(event.payload)],
  );
  return toEvent(rows[0]!);
}

/**
 * Oldest unpublished events, locked for this transaction. SKIP LOCKED lets several relays run
 * at once without handing the same event to two of them. Use inside withTransaction, publish,
 * then markOutboxPublished before COMMIT.
 */
export async function claimOutboxBatch(db: Db, limit = 100): Promise<OutboxEvent[]> {
  const { rows } = await query<OutboxRow>(
    db,
    `SELECT * FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
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

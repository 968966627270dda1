import type { Redis } from 'ioredis';

/**
 * Two ways to hand events to workers, and what each promises.
 *
 * Pub/sub is fire-and-forget: Redis pushes a message to whoever is subscribed *at that
 * moment* and keeps nothing. A subscriber that is down (or slow, and disconnected for it)
 * never sees what was published meanwhile: **at most once**.
 *
 * A Stream is an append-only log kept in Redis. A consumer group remembers, per consumer,
 * which entries were delivered but not yet acknowledged (the pending entries list, PEL). A
 * consumer that dies before XACK leaves its entries pending; another consumer claims them
 * with XAUTOCLAIM once they have been idle long enough and processes them again: **at least
 * once** — so the handler must be idempotent (the same entry may be processed twice).
 */
export type StreamEntry = { id: string; fields: Record<string, string> };

function toEntries(raw: [string, string[]][]): StreamEntry[] {
  return raw.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
    return { id, fields };
  });
}

export async function appendEvent(
  redis: Redis,
  stream: string,
  fields: Record<string, string>,
  maxLen = 100_000,
): Promise<string> {
  // MAXLEN ~ trims old entries in whole macro-nodes (cheap); the stream stays bounded.
  const id = await redis.xadd(stream, 'MAXLEN', '~', maxLen, '*', ...Object.entries(fields).flat());
  return id!;
}

/** Creates the group (and the stream) if missing; a second call is a no-op. */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
  }
}

/** New entries for this consumer (">"): each is delivered to one consumer of the group. */
export async function readGroup(
  redis: Redis,
  stream: string,
  group: string,
  consumer: string,
  count: number,
  blockMs?: number,
): Promise<StreamEntry[]> {
  const reply = (await (blockMs === undefined
    ? redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
    : redis.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        stream,
        '>',
      ))) as [string, [string, string[]][]][] | null;
  return reply?.[0] ? toEntries(reply[0][1]) : [];
}

export async function ack(
  redis: Redis,
  stream: string,
  group: string,
  ids: string[],
): Promise<number> {
  return ids.length === 0 ? 0 : redis.xack(stream, group, ...ids);
}

/**
 * Takes over entries another consumer left pending for at least `minIdleMs`. XAUTOCLAIM walks
 * the pending list from `start`; the returned cursor is "0-0" once it has seen all of it.
 */
export async function claimStale(
  redis: Redis,
  stream: string,
  group: string,
  consumer: string,
  minIdleMs: number,
  count = 100,
): Promise<StreamEntry[]> {
  const claimed: StreamEntry[] = [];
  let cursor = '0-0';
  do {
    const [next, entries] = (await redis.xautoclaim(
      stream,
      group,
      consumer,
      minIdleMs,
      cursor,
      'COUNT',
      count,
    )) as [string, [string, string[] | null][], string[]?];
    // Entries deleted from the stream while pending come back as null fields: skip them.
    claimed.push(...toEntries(entries.filter((e): e is [string, string[]] => Array.isArray(e[1]))));
    cursor = next;
  } while (cursor !== '0-0');
  return claimed;
}

/** How many entries the group has delivered but not acknowledged. */
export async function pendingCount(redis: Redis, stream: string, group: string): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case hex. Carrying it in
 * every event lets a tracer join the consumer's work to the HTTP request that caused it.
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */
export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A fresh root traceparent, for events raised outside any traced request (scripts, tests). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * What travels on the wire around every event. Why an envelope: consumers route, deduplicate
 * (id), order (aggregateId) and upgrade (version) without knowing what is inside `data`.
 */
export const envelopeSchema = z.object({
  /** Unique per event, stable across redeliveries: the consumer's idempotency key. */
  id: z.uuid(),
  type: z.string().min(1).max(128),
  /** The version of `data`'s schema; a consumer that does not know it must not guess. */
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The entity whose history this event belongs to, e.g. "article:42"; order is kept per id. */
  aggregateId: z.string().min(1).max(64),
  traceparent: z.string().regex(TRACEPARENT).optional(),
  data: z.unknown(),
});

export type Envelope<T = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: T };

export function newEventId(): string {
  return randomUUID();
}

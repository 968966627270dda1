import { z } from 'zod';
import { envelopeSchema, newEventId, type Envelope } from './envelope';

const id = z.number().int().positive();
const username = z.string().min(1).max(64);
const slug = z.string().min(1).max(255);

/**
 * Every event Conduit publishes, by type and version. Adding a field that consumers may ignore
 * keeps the version; removing or changing the meaning of one is a new version, published beside
 * the old one until every consumer has moved (consumers reject versions they do not know).
 */
export const catalog = {
  'article.published': {
    1: z.object({
      articleId: id,
      slug,
      title: z.string().min(1).max(255),
      authorId: id,
      authorUsername: username,
    }),
  },
  'article.updated': {
    1: z.object({
      articleId: id,
      slug,
      authorId: id,
      /** Which fields changed (their new values travel only if a consumer needs them). */
      changed: z.array(z.enum(['title', 'description', 'body', 'tagList'])).min(1),
    }),
  },
  'article.deleted': {
    1: z.object({ articleId: id, slug, authorId: id }),
  },
  'comment.added': {
    1: z.object({
      commentId: id,
      articleId: id,
      articleSlug: slug,
      articleAuthorId: id,
      authorId: id,
      authorUsername: username,
      excerpt: z.string().max(200),
    }),
  },
  'user.followed': {
    1: z.object({
      followerId: id,
      followerUsername: username,
      followeeId: id,
    }),
  },
  /** Lets a consumer keep a follower projection (user.followed alone could only grow it). */
  'user.unfollowed': {
    1: z.object({ followerId: id, followeeId: id }),
  },
  'article.favorited': {
    1: z.object({
      articleId: id,
      articleSlug: slug,
      articleAuthorId: id,
      userId: id,
      username,
    }),
  },
} as const;

type Catalog = typeof catalog;
export type EventType = keyof Catalog;
export const EVENT_TYPES = Object.keys(catalog) as EventType[];

/** The newest version of each type: what a producer publishes today. */
type LatestVersion<T extends EventType> =
  Extract<keyof Catalog[T], number> extends infer V ? (V extends number ? V : never) : never;
export type EventData<
  T extends EventType,
  V extends keyof Catalog[T] = LatestVersion<T>,
> = Catalog[T][V] extends z.ZodType ? z.infer<Catalog[T][V]> : never;

/** A validated event of one known type and version. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: Envelope<EventData<K>> & { type: K };
}[T];

/**
 * The stream an event belongs to; order is kept within one. Comments and favorites join their
 * article's stream (so a comment is never delivered after its article's deletion), follows and
 * unfollows the follower's (so an unfollow never overtakes its follow).
 */
export function aggregateIdFor<T extends EventType>(type: T, data: EventData<T>): string {
  const d = data as Record<string, unknown>;
  switch (type) {
    case 'article.published':
    case 'article.updated':
    case 'article.deleted':
    case 'comment.added':
    case 'article.favorited':
      return `article:${String(d.articleId)}`;
    case 'user.followed':
    case 'user.unfollowed':
      return `user:${String(d.followerId)}`;
  }
}

export const latestVersion = (type: EventType): number =>
  Math.max(...Object.keys(catalog[type]).map(Number));

export interface NewEvent<T extends EventType> {
  type: T;
  /** Default: aggregateIdFor(type, data). */
  aggregateId?: string;
  data: EventData<T>;
  traceparent?: string;
  /** Defaults to now; set it when the event describes a change committed earlier. */
  occurredAt?: Date;
  id?: string;
}

/** Builds a valid envelope (throws on invalid data: a producer bug, caught before it ships). */
export function createEvent<T extends EventType>(event: NewEvent<T>): DomainEvent<T> {
  const version = latestVersion(event.type);
  const schema = (catalog[event.type] as Record<number, z.ZodType>)[version]!;
  const envelope = {
    id: event.id ?? newEventId(),
    type: event.type,
    version,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    aggregateId: event.aggregateId ?? aggregateIdFor(event.type, event.data),
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    data: schema.parse(event.data),
  };
  return envelopeSchema.parse(envelope) as DomainEvent<T>;
}

/** Why a message could not be turned into a known event: each goes to the dead-letter queue. */
export type Rejection =
  | { reason: 'malformed'; detail: string }
  | { reason: 'unknown_type'; detail: string }
  | { reason: 'unknown_version'; detail: string }
  | { reason: 'invalid_data'; detail: string };

export type ParseResult = { ok: true; event: DomainEvent } | ({ ok: false } & Rejection);

const summarize = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

/**
 * Checks a raw message body against the envelope and the catalog. Never throws: a consumer
 * dead-letters anything that is not ok, with `reason` and `detail` as the failure reason.
 */
export function parseEvent(body: Buffer | string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: `not JSON: ${(error as Error).message}` };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: 'malformed', detail: summarize(envelope.error) };
  }
  const { type, version } = envelope.data;
  if (!Object.hasOwn(catalog, type)) {
    return { ok: false, reason: 'unknown_type', detail: `no contract for type "${type}"` };
  }
  const versions = catalog[type as EventType] as Record<number, z.ZodType>;
  const schema = Object.hasOwn(versions, version) ? versions[version] : undefined;
  if (!schema) {
    const known = Object.keys(versions).join(', ');
    return {
      ok: false,
      reason: 'unknown_version',
      detail: `${type} version ${version} is not one this consumer knows (${known})`,
    };
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: 'invalid_data', detail: summarize(data.error) };
  return { ok: true, event: { ...envelope.data, data: data.data } as DomainEvent };
}

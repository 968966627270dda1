import { Redis } from 'ioredis';
import {
  logger as defaultLogger,
  extractTraceContext,
  injectTraceHeaders,
  SpanKind,
  withSpan,
  type Logger,
} from '@roadmap/kit';
import type { Notification } from './store/store';

export type Listener = (notification: Notification) => void;

/**
 * Fan-out between instances through Redis pub/sub. The consumer that stored a notification
 * may run in another process than the one holding the recipient's SSE stream; it PUBLISHes on
 * the recipient's channel, and every instance with a stream for that user receives it.
 * Why pub/sub (fire and forget) is enough: the stream is a live view; the list endpoint,
 * read from the database, is the record. A client that reconnects reloads the list.
 */
export class RealtimeHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly log: Logger;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    logger?: Logger,
  ) {
    this.log = logger ?? defaultLogger;
    subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  static async connect(url: string, prefix: string, logger?: Logger): Promise<RealtimeHub> {
    // A subscribed connection can only (un)subscribe, so publishing needs a second one.
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    for (const client of [publisher, subscriber]) {
      client.on('error', (err: Error) => (logger ?? defaultLogger).warn({ err }, 'redis error'));
    }
    await Promise.all([publisher.connect(), subscriber.connect()]);
    return new RealtimeHub(publisher, subscriber, prefix, logger);
  }

  channel(recipientId: number): string {
    return `${this.prefix}user:${recipientId}`;
  }

  /**
   * A PRODUCER span; the message carries its `traceparent` (a field the receiving instance
   * strips), so the SSE push on whichever instance holds the stream joins the same trace.
   */
  async publish(notification: Notification): Promise<void> {
    await withSpan(
      'realtime publish',
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'redis' } },
      async () => {
        const { traceparent } = injectTraceHeaders({});
        await this.publisher.publish(
          this.channel(notification.recipientId),
          JSON.stringify({ ...notification, ...(traceparent ? { traceparent } : {}) }),
        );
      },
    );
  }

  /** Resolves once Redis confirms the subscription; the returned function unsubscribes. */
  async subscribe(recipientId: number, listener: Listener): Promise<() => Promise<void>> {
    const channel = this.channel(recipientId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    // One Redis subscription per channel and instance, however many streams share it.
    if (set.size === 1) await this.subscriber.subscribe(channel);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      await this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  private dispatch(channel: string, message: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let parsed: Notification;
    let carried: string | undefined;
    try {
      const raw = JSON.parse(message) as Notification & {
        createdAt: string;
        readAt: string | null;
        traceparent?: string;
      };
      const { traceparent, ...rest } = raw;
      carried = traceparent;
      parsed = {
        ...rest,
        createdAt: new Date(raw.createdAt),
        readAt: raw.readAt ? new Date(raw.readAt) : null,
      };
    } catch (err) {
      this.log.warn({ err, channel }, 'unreadable realtime message dropped');
      return;
    }
    // The SSE writes, as the child of the publish (on whatever instance it ran).
    void withSpan(
      'sse push',
      {
        kind: SpanKind.CONSUMER,
        parent: extractTraceContext(carried ? { traceparent: carried } : {}),
        attributes: { 'messaging.system': 'redis', 'notifications.streams': set.size },
      },
      () => {
        for (const listener of set) listener(parsed);
        return Promise.resolve();
      },
    ).catch((err: unknown) => this.log.warn({ err, channel }, 'realtime listener failed'));
  }

  ping(): Promise<string> {
    return this.publisher.ping();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}

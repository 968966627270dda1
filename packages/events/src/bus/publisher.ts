import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import {
  contextFromTraceparent,
  logger as defaultLogger,
  publishSpan,
  type EventMetrics,
  type Logger,
  type MessageHeaders,
} from '@roadmap/kit';
import type { Envelope } from '../contracts/envelope';
import type { Broker } from './connection';
import { assertExchange } from './topology';

export interface PublisherOptions {
  exchange: string;
  /** A publish fails if its confirm has not arrived in this long (default 10 s). */
  timeoutMs?: number;
  /**
   * What a message no queue is bound for does (the broker returns it because it is published
   * `mandatory`): 'reject' fails publish() with UnroutableError, 'report' resolves with
   * `routed: false` and logs a warning. Default 'reject'.
   */
  unroutable?: 'reject' | 'report';
  logger?: Logger;
  /** Counts each publish in events_published_total{event_type,outcome} (kit's metrics.events). */
  metrics?: EventMetrics;
}

export interface PublishResult {
  /** false: no queue was bound for this type, the broker returned the message. */
  routed: boolean;
}

export class UnroutableError extends Error {
  override name = 'UnroutableError';
}

/** The broker did not confirm in time, nacked, or the channel died first: outcome unknown. */
export class PublishError extends Error {
  override name = 'PublishError';
}

/** The AMQP properties an event travels with; the raw-amqplib benchmark uses the same ones. */
export function messageOptions(event: Envelope): Options.Publish {
  return {
    persistent: true,
    mandatory: true,
    contentType: 'application/json',
    messageId: event.id,
    type: event.type,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers: {
      'x-event-version': event.version,
      'x-aggregate-id': event.aggregateId,
      ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    },
  };
}

/**
 * Publishes envelopes to the topic exchange (routing key = event type) on a confirm channel:
 * publish() resolves only once the broker has taken responsibility for the message (written to
 * the queues' disks for persistent messages on quorum queues). Until then the caller must treat
 * it as not sent — the outbox relay keeps the row unpublished.
 */
export class Publisher {
  private channel: ConfirmChannel | undefined;
  private model: ChannelModel | undefined;
  private waiting: Array<() => void> = [];
  private returned = new Set<string>();
  private drained: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private readonly log: Logger;

  constructor(
    private readonly broker: Broker,
    private readonly options: PublisherOptions,
  ) {
    this.log = options.logger ?? defaultLogger;
  }

  /** Opens the channel now and again after every reconnection; resolves once it is open. */
  async start(): Promise<void> {
    const first = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.unsubscribe = this.broker.onConnect((model) => void this.open(model));
    await first;
  }

  get ready(): boolean {
    return this.channel !== undefined;
  }

  private async open(model: ChannelModel): Promise<void> {
    this.model = model;
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.log.warn({ err }, 'publisher channel error'));
      // The broker sends basic.return *before* the basic.ack of the same message, so the
      // confirm callback below can tell "routed" from "returned".
      channel.on('return', (message: { properties: { messageId?: string } }) => {
        if (message.properties.messageId) this.returned.add(message.properties.messageId);
      });
      channel.on('close', () => {
        if (this.channel !== channel) return;
        this.channel = undefined;
        // Closed alone (a channel error) while the connection lives: open a new one on it.
        if (!this.closed) setTimeout(() => void this.reopen(model), 250).unref();
      });
      await assertExchange(channel, this.options.exchange);
      if (this.closed) {
        await channel.close().catch(() => undefined);
        return;
      }
      this.channel = channel;
      this.drained = undefined;
      for (const resolve of this.waiting.splice(0)) resolve();
    } catch (err) {
      this.log.warn({ err }, 'publisher channel could not be opened; waiting for reconnection');
    }
  }

  private async reopen(model: ChannelModel): Promise<void> {
    if (this.channel || this.closed || this.model !== model) return;
    await this.open(model);
  }

  private async openChannel(deadline: number): Promise<ConfirmChannel> {
    while (!this.channel) {
      if (this.closed) throw new PublishError('publisher is closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new PublishError('broker unavailable: no channel before the timeout');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.channel;
  }

  /**
   * Publishes one event in a PRODUCER span. Its parent is the context the event carries (the
   * request that wrote the outbox row), else the active one; the message's `traceparent`
   * header is this span's, so the consumer's span is its child.
   */
  async publish(event: Envelope): Promise<PublishResult> {
    const count = (outcome: 'confirmed' | 'unroutable' | 'failed') =>
      this.options.metrics?.published.inc({ event_type: event.type, outcome });
    try {
      const result = await this.publishTraced(event);
      count(result.routed ? 'confirmed' : 'unroutable');
      return result;
    } catch (err) {
      count(err instanceof UnroutableError ? 'unroutable' : 'failed');
      throw err;
    }
  }

  private publishTraced(event: Envelope): Promise<PublishResult> {
    return publishSpan(
      event.type,
      (trace) => this.send(event, trace),
      {},
      {
        parent: event.traceparent ? contextFromTraceparent(event.traceparent) : undefined,
        attributes: {
          'messaging.message.id': event.id,
          'messaging.rabbitmq.exchange': this.options.exchange,
        },
      },
    );
  }

  private async send(event: Envelope, trace: MessageHeaders): Promise<PublishResult> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let channel = await this.openChannel(deadline);
    // Why wait for 'drain': publish() returning false means the socket buffer is full; writing
    // on regardless would grow memory without bound while the broker is slow.
    while (this.drained) {
      await this.drained;
      channel = await this.openChannel(deadline);
    }
    const body = Buffer.from(JSON.stringify(event));
    const options = messageOptions(event);
    // Without a tracing SDK `trace` is empty and the event's own traceparent travels on.
    options.headers = { ...(options.headers as MessageHeaders | undefined), ...trace };
    return new Promise<PublishResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new PublishError(`no confirm within ${timeoutMs} ms`)),
        Math.max(1, deadline - Date.now()),
      );
      let flowing = true;
      try {
        flowing = channel.publish(
          this.options.exchange,
          event.type,
          body,
          options,
          (err: unknown) => {
            clearTimeout(timer);
            const wasReturned = this.returned.delete(event.id);
            if (err) {
              reject(new PublishError(`broker did not confirm ${event.id}`, { cause: err }));
            } else if (wasReturned) {
              if ((this.options.unroutable ?? 'reject') === 'reject') {
                reject(new UnroutableError(`no queue is bound for ${event.type}`));
              } else {
                this.log.warn({ eventId: event.id, type: event.type }, 'event had no queue');
                resolve({ routed: false });
              }
            } else {
              resolve({ routed: true });
            }
          },
        );
      } catch (err) {
        clearTimeout(timer);
        reject(new PublishError('channel closed before publishing', { cause: err }));
        return;
      }
      if (!flowing && !this.drained) {
        this.drained = new Promise<void>((done) => {
          const finish = () => {
            this.drained = undefined;
            done();
          };
          channel.once('drain', finish);
          channel.once('close', finish);
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    const channel = this.channel;
    this.channel = undefined;
    for (const resolve of this.waiting.splice(0)) resolve();
    if (channel) {
      // Confirms still outstanding arrive before the close completes.
      await channel.waitForConfirms().catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  }
}

import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import {
  consumeSpan,
  logger as defaultLogger,
  SpanStatusCode,
  type ConsumeOutcome,
  type EventMetrics,
  type Logger,
} from '@roadmap/kit';
import { parseEvent, type DomainEvent, type Rejection } from '../contracts/catalog';
import type { Broker } from './connection';
import {
  assertConsumerTopology,
  deadLetterQueueName,
  retryQueueName,
  type QueueTopology,
} from './topology';

export interface HandlerContext {
  /** 1 on first delivery, 2 on the first retry, … */
  attempt: number;
  /** The broker delivered this message before (a consumer died or its channel closed unacked). */
  redelivered: boolean;
}

/**
 * Must be idempotent (the same event can arrive twice: at-least-once delivery). Throwing means
 * "retry later"; after the last retry the message goes to the dead-letter queue.
 */
export type Handler = (event: DomainEvent, context: HandlerContext) => Promise<void>;

export interface ConsumerOptions extends QueueTopology {
  handler: Handler;
  /** Unacknowledged messages held at once (default 32). */
  prefetch?: number;
  logger?: Logger;
  /**
   * Records events_consumed_total, events_handler_duration_seconds and
   * events_consumer_lag_seconds with `consumer` = the queue name (kit's metrics.events).
   */
  metrics?: EventMetrics;
}

/** Headers the bus writes; the dead-letter queue keeps the last ones a message carried. */
export const HEADERS = {
  attempt: 'x-attempt',
  lastError: 'x-last-error',
  failureReason: 'x-failure-reason',
  failureCode: 'x-failure-code',
  failedAt: 'x-failed-at',
  originalRoutingKey: 'x-original-routing-key',
} as const;

type FailureCode = Rejection['reason'] | 'handler_failed';

interface Live {
  channel: Channel;
  /** Retries and dead letters are republished with confirms before the original is acked. */
  confirm: ConfirmChannel;
  consumerTag: string;
}

/**
 * One consumer: its own quorum queue bound to the exchange, manual acks with a bounded
 * prefetch, retries through delay queues, a dead-letter queue that says why, and recovery
 * after the connection comes back. Handlers run concurrently, but one at a time per aggregate,
 * so the events of one article reach the handler in the order they were published.
 */
export class Consumer {
  private live: Live | undefined;
  /** The connection the consumer last subscribed on. */
  private model: ChannelModel | undefined;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private chains = new Map<string, Promise<void>>();
  private stopping = false;
  private unsubscribe: (() => void) | undefined;
  private readonly log: Logger;

  constructor(
    private readonly broker: Broker,
    private readonly options: ConsumerOptions,
  ) {
    this.log = (options.logger ?? defaultLogger).child({ queue: options.queue });
    options.metrics?.trackDeadLetterQueue(deadLetterQueueName(options.queue), () =>
      this.deadLetterDepth(),
    );
  }

  /** Declares the topology and starts consuming; resolves once the first subscription is up. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let first = true;
      this.unsubscribe = this.broker.onConnect((model) => {
        this.subscribe(model).then(
          () => {
            if (first) resolve();
            first = false;
          },
          (err: unknown) => {
            // At start-up a topology error (e.g. a queue declared with other arguments) is a
            // configuration problem: report it. After a reconnection, log and wait for the next.
            if (first) reject(err instanceof Error ? err : new Error(String(err)));
            else this.log.error({ err }, 'consumer could not resubscribe');
            first = false;
          },
        );
      });
    });
  }

  get subscribed(): boolean {
    return this.live !== undefined;
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    if (this.stopping) return;
    this.model = model;
    const channel = await model.createChannel();
    const confirm = await model.createConfirmChannel();
    for (const ch of [channel, confirm]) {
      ch.on('error', (err: Error) => this.log.warn({ err }, 'consumer channel error'));
    }
    // Either channel can close alone (a broker-side channel error, not a lost connection): then
    // close both, so unacked messages return to the queue, and subscribe again on this
    // connection. If the connection itself is gone, onConnect resubscribes when it is back.
    const closed = () => {
      if (this.live?.channel !== channel) return;
      this.live = undefined;
      void channel.close().catch(() => undefined);
      void confirm.close().catch(() => undefined);
      if (this.stopping) return;
      setTimeout(() => {
        if (this.live || this.stopping || this.model !== model) return;
        this.subscribe(model).catch((err: unknown) =>
          this.log.warn({ err }, 'resubscribe failed; waiting for reconnection'),
        );
      }, 500).unref();
    };
    channel.on('close', closed);
    confirm.on('close', closed);
    try {
      await assertConsumerTopology(channel, this.options);
      await channel.prefetch(this.options.prefetch ?? 32);
      const { consumerTag } = await channel.consume(
        this.options.queue,
        (message) => {
          if (message) this.receive(message, channel, confirm);
          else this.log.warn('broker cancelled the consumer (queue deleted?)');
        },
        { noAck: false },
      );
      this.live = { channel, confirm, consumerTag };
    } catch (err) {
      await channel.close().catch(() => undefined);
      await confirm.close().catch(() => undefined);
      throw err;
    }
  }

  private receive(message: ConsumeMessage, channel: Channel, confirm: ConfirmChannel): void {
    this.inFlight++;
    const parsed = parseEvent(message.content);
    // Why serialize per aggregate: prefetch lets many messages run at once; two events of the
    // same article must still be handled in order (an update must not overtake the publish).
    const key = parsed.ok ? parsed.event.aggregateId : `\u0000${message.fields.deliveryTag}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(message, parsed, channel, confirm))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
        this.inFlight--;
        if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    this.chains.set(key, next);
  }

  /**
   * One delivery in a CONSUMER span, the child of the publish that sent it (its `traceparent`
   * header; the envelope's own when the header is missing). Everything the handler does, and
   * every line it logs, belongs to that span.
   */
  private handle(
    message: ConsumeMessage,
    parsed: ReturnType<typeof parseEvent>,
    channel: Channel,
    confirm: ConfirmChannel,
  ): Promise<void> {
    const headers = message.properties.headers ?? {};
    const carried =
      headers.traceparent === undefined && parsed.ok && parsed.event.traceparent
        ? { ...headers, traceparent: parsed.event.traceparent }
        : headers;
    return consumeSpan(
      this.options.queue,
      carried,
      async (span) => {
        let outcome: ConsumeOutcome;
        try {
          outcome = await this.process(message, parsed, channel, confirm);
        } catch (err) {
          // The retry or dead letter could not be written (broker trouble): hand the message
          // back so it is redelivered rather than held unacked for the channel's lifetime.
          this.log.error({ err }, 'message processing failed; requeued');
          outcome = 'requeued';
          try {
            channel.nack(message, false, true);
          } catch {
            // channel already gone: the broker requeues the message by itself
          }
        }
        span.setAttribute('messaging.consume.outcome', outcome);
        if (outcome !== 'ack') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        this.options.metrics?.consumed.inc({
          consumer: this.options.queue,
          event_type: parsed.ok ? parsed.event.type : 'invalid',
          outcome,
        });
      },
      {
        'messaging.message.id': String(message.properties.messageId ?? ''),
        'messaging.rabbitmq.message.delivery_tag': message.fields.deliveryTag,
        ...(parsed.ok ? { 'messaging.message.type': parsed.event.type } : {}),
      },
    );
  }

  private async process(
    message: ConsumeMessage,
    parsed: ReturnType<typeof parseEvent>,
    channel: Channel,
    confirm: ConfirmChannel,
  ): Promise<ConsumeOutcome> {
    const attempt = Number(message.properties.headers?.[HEADERS.attempt] ?? 1);
    if (!parsed.ok) {
      // Not retryable: a message that does not match its contract will not match it later.
      await this.deadLetter(message, confirm, parsed.reason, parsed.detail, attempt);
      this.ack(channel, message);
      return 'dead_lettered';
    }
    const metrics = this.options.metrics;
    const labels = { consumer: this.options.queue, event_type: parsed.event.type };
    if (metrics && attempt === 1) {
      const age = (Date.now() - Date.parse(parsed.event.occurredAt)) / 1000;
      metrics.consumerLag.observe({ consumer: this.options.queue }, Math.max(0, age));
    }
    let outcome: ConsumeOutcome = 'ack';
    const stop = metrics?.handlerDuration.startTimer(labels);
    try {
      await this.options.handler(parsed.event, {
        attempt,
        redelivered: message.fields.redelivered,
      });
      stop?.();
    } catch (err) {
      stop?.();
      const reason = err instanceof Error ? err.message : String(err);
      if (attempt <= this.options.retryDelaysMs.length) {
        this.log.warn({ eventId: parsed.event.id, attempt, err }, 'handler failed; will retry');
        await this.republish(confirm, retryQueueName(this.options.queue, attempt), message, {
          [HEADERS.attempt]: attempt + 1,
          [HEADERS.lastError]: reason.slice(0, 1_000),
        });
        outcome = 'retry';
      } else {
        await this.deadLetter(message, confirm, 'handler_failed', reason, attempt);
        outcome = 'dead_lettered';
      }
    }
    this.ack(channel, message);
    return outcome;
  }

  /**
   * Messages waiting in the dead-letter queue (undefined while unsubscribed), for
   * events_dead_letter_queue_messages: register with `metrics.trackDeadLetterQueue`.
   */
  async deadLetterDepth(): Promise<number | undefined> {
    const live = this.live;
    if (!live) return undefined;
    // A passive check on the confirm channel: the queue exists (subscribe declared it), and
    // the consuming channel is left alone.
    const { messageCount } = await live.confirm.checkQueue(deadLetterQueueName(this.options.queue));
    return messageCount;
  }

  private deadLetter(
    message: ConsumeMessage,
    confirm: ConfirmChannel,
    code: FailureCode,
    detail: string,
    attempt: number,
  ): Promise<void> {
    this.log.error({ messageId: message.properties.messageId, code, detail }, 'dead-lettered');
    return this.republish(confirm, deadLetterQueueName(this.options.queue), message, {
      [HEADERS.attempt]: attempt,
      [HEADERS.failureCode]: code,
      [HEADERS.failureReason]: detail.slice(0, 1_000),
      [HEADERS.failedAt]: new Date().toISOString(),
    });
  }

  /** Copies the message to `queue` (default exchange), waiting for the broker's confirm. */
  private republish(
    confirm: ConfirmChannel,
    queue: string,
    message: ConsumeMessage,
    headers: Record<string, unknown>,
  ): Promise<void> {
    const original = message.properties;
    const routingKey =
      (original.headers?.[HEADERS.originalRoutingKey] as string | undefined) ??
      message.fields.routingKey;
    return new Promise<void>((resolve, reject) => {
      try {
        confirm.sendToQueue(
          queue,
          message.content,
          {
            persistent: true,
            contentType: original.contentType as string | undefined,
            messageId: original.messageId as string | undefined,
            type: original.type as string | undefined,
            timestamp: original.timestamp as number | undefined,
            headers: {
              ...original.headers,
              [HEADERS.originalRoutingKey]: routingKey,
              ...headers,
            },
          },
          (err: unknown) => (err ? reject(new Error('republish not confirmed')) : resolve()),
        );
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private ack(channel: Channel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch {
      // The channel died while we worked: the broker will redeliver the message, and the
      // handler's idempotency turns the second run into a no-op.
    }
  }

  /**
   * Graceful stop: cancel the subscription (no new deliveries), let in-flight handlers finish
   * and ack, then close the channels. Messages still unacked after `timeoutMs` are returned to
   * the queue by the broker when the channel closes.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    const live = this.live;
    if (live) await live.channel.cancel(live.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.live = undefined;
    if (live) {
      await live.channel.close().catch(() => undefined);
      await live.confirm.close().catch(() => undefined);
    }
  }
}

import { Consumer, type Broker, type Handler } from '@roadmap/events';
import type { EventMetrics, Logger } from '@roadmap/kit';
import type { NotificationsService } from './notifications.service';

/** The event types this service listens to (article.updated/deleted have no notification). */
export const NOTIFICATION_BINDINGS = [
  'user.followed',
  'user.unfollowed',
  'comment.added',
  'article.favorited',
  'article.published',
];

export interface NotificationsConsumerOptions {
  exchange: string;
  queue: string;
  retryDelaysMs: number[];
  deliveryLimit: number;
  prefetch: number;
  logger?: Logger;
  /** events_consumed_total (ack, retry, dead_lettered, requeued), handler time, lag, DLQ depth. */
  metrics?: EventMetrics;
  /** Tests only: runs after the effect is stored and before the ack (a crash lands here). */
  afterHandle?: Handler;
}

/**
 * The dead-letter queue keeps the error's message as the failure reason. An AppError from the
 * data layer says only "internal server error" (right for an HTTP client, useless to whoever
 * reads the DLQ), so the causes are joined in: "internal server error: database … does not exist".
 */
function withCauses(err: unknown): Error {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 4) {
    parts.push(current.message);
    current = current.cause;
  }
  return new Error(parts.join(': ') || 'handler failed', { cause: err });
}

/**
 * The message entry point: the bus validates each message against its contract (invalid ones
 * go straight to the dead-letter queue), then the same service the HTTP routes use applies it.
 * A handler that throws is retried with growing delays, then dead-lettered with its reason.
 */
export function createNotificationsConsumer(
  broker: Broker,
  service: NotificationsService,
  options: NotificationsConsumerOptions,
): Consumer {
  return new Consumer(broker, {
    exchange: options.exchange,
    queue: options.queue,
    bindings: NOTIFICATION_BINDINGS,
    retryDelaysMs: options.retryDelaysMs,
    deliveryLimit: options.deliveryLimit,
    prefetch: options.prefetch,
    logger: options.logger,
    metrics: options.metrics,
    handler: async (event, context) => {
      try {
        await service.handle(event);
      } catch (err) {
        throw withCauses(err);
      }
      await options.afterHandle?.(event, context);
    },
  });
}

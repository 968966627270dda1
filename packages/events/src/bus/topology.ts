import type { Channel } from 'amqplib';

export interface QueueTopology {
  exchange: string;
  /** The consumer's own queue; its retry queues and dead-letter queue are named after it. */
  queue: string;
  /** Routing-key patterns bound to the queue: event types, or topic wildcards ("article.*"). */
  bindings: string[];
  /** One delay queue per retry, in order. */
  retryDelaysMs: number[];
  /** Quorum queues count redeliveries; past this many the broker dead-letters the message. */
  deliveryLimit: number;
}

export const retryQueueName = (queue: string, attempt: number) => `${queue}.retry.${attempt}`;
export const deadLetterQueueName = (queue: string) => `${queue}.dlq`;

/** Every queue a consumer owns, for clean-up in tests and scripts. */
export const ownedQueues = (t: Pick<QueueTopology, 'queue' | 'retryDelaysMs'>) => [
  t.queue,
  deadLetterQueueName(t.queue),
  ...t.retryDelaysMs.map((_, i) => retryQueueName(t.queue, i + 1)),
];

export async function assertExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * Declares (idempotently) the exchange, the consumer's quorum queue, one delay queue per retry
 * and the dead-letter queue. Why delay queues: a message parked in `<queue>.retry.N` expires
 * after that queue's TTL and the broker dead-letters it straight back to `<queue>` through the
 * default exchange; no timers live in the consumer, so a restart loses no pending retry.
 */
export async function assertConsumerTopology(channel: Channel, t: QueueTopology): Promise<void> {
  await assertExchange(channel, t.exchange);
  const dlq = deadLetterQueueName(t.queue);
  await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(t.queue, {
    durable: true,
    arguments: {
      // Quorum: replicated (Raft) and the queue type RabbitMQ recommends for durable work.
      'x-queue-type': 'quorum',
      // A message that keeps crashing its consumer (redelivered without ever being acked)
      // stops after this many deliveries instead of looping forever.
      'x-delivery-limit': t.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': dlq,
    },
  });
  for (const [index, delay] of t.retryDelaysMs.entries()) {
    // Classic queues: each holds messages with one TTL, so they expire strictly in order.
    await channel.assertQueue(retryQueueName(t.queue, index + 1), {
      durable: true,
      arguments: {
        'x-queue-type': 'classic',
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': t.queue,
      },
    });
  }
  for (const pattern of t.bindings) await channel.bindQueue(t.queue, t.exchange, pattern);
}

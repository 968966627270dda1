// The real notifications consumer (store, service, bus) in a process of its own, so a test can
// SIGKILL it in the middle of a message. With HANG=1 it stops after storing the effect and
// before the ack — the worst moment to crash.
// Env: DATABASE_URL, REDIS_URL, CHANNEL_PREFIX, RABBITMQ_URL, EVENTS_EXCHANGE, QUEUE, HANG.
import { connectBroker } from '@roadmap/events';
import {
  createNotificationsConsumer,
  createNotificationsService,
  PostgresNotificationStore,
  RealtimeHub,
} from '../../src';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const store = PostgresNotificationStore.connect(env.DATABASE_URL!);
  const hub = await RealtimeHub.connect(env.REDIS_URL!, env.CHANNEL_PREFIX!);
  const broker = await connectBroker({ url: env.RABBITMQ_URL!, name: 'notifications-crash' });
  const service = createNotificationsService({ store, realtime: hub });
  const consumer = createNotificationsConsumer(broker, service, {
    exchange: env.EVENTS_EXCHANGE!,
    queue: env.QUEUE!,
    retryDelaysMs: [],
    deliveryLimit: 5,
    prefetch: 4,
    afterHandle: async (event, context) => {
      process.stdout.write(`handled ${event.id} redelivered=${String(context.redelivered)}\n`);
      if (env.HANG === '1') await new Promise(() => undefined); // killed here, never acked
    },
  });
  await consumer.start();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

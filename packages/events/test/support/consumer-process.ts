// A consumer in a process of its own, so a test can SIGKILL it in the middle of a message.
// Its handler is idempotent the way a real one must be: the effect is keyed by event id.
// Env: RABBITMQ_URL, DATABASE_URL, EVENTS_EXCHANGE, QUEUE, HANG ("1": never finish a message).
import pg from 'pg';
import { connectBroker, Consumer } from '../../src';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
  const broker = await connectBroker({ url: env.RABBITMQ_URL!, name: 'consumer-process' });
  const consumer = new Consumer(broker, {
    exchange: env.EVENTS_EXCHANGE!,
    queue: env.QUEUE!,
    bindings: ['#'],
    retryDelaysMs: [],
    deliveryLimit: 5,
    prefetch: 8,
    handler: async (event, context) => {
      await pool.query('INSERT INTO deliveries (event_id, redelivered) VALUES ($1, $2)', [
        event.id,
        context.redelivered,
      ]);
      await pool.query('INSERT INTO effects (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [
        event.id,
      ]);
      if (env.HANG === '1') {
        process.stdout.write(`handled ${event.id}\n`);
        await new Promise(() => undefined); // "crashes" before the ack: the test kills us here
      }
    },
  });
  await consumer.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await consumer.stop(5_000);
      await broker.close();
      await pool.end();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

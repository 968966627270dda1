import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { probeService, serviceUrl, unreachableMessage } from '../services';

export interface TestAmqp {
  url: string;
  /** A queue or exchange name unique to this test file: test.<file>.<random>.<suffix> */
  name: (suffix: string) => string;
  /** Deletes every queue and exchange named through name(). Call in afterAll. */
  cleanup: () => Promise<void>;
}

/** RabbitMQ isolation per test file: unique names on the shared broker. */
export async function createTestAmqp(label: string): Promise<TestAmqp> {
  const url = serviceUrl('rabbitmq');
  const probe = await probeService('rabbitmq', url);
  if (!probe.ok) throw new Error(unreachableMessage(probe));
  const base = `test.${label.replace(/[^A-Za-z0-9_-]/g, '_')}.${randomBytes(4).toString('hex')}`;
  const names = new Set<string>();
  return {
    url,
    name: (suffix) => {
      const full = `${base}.${suffix}`;
      names.add(full);
      return full;
    },
    cleanup: async () => {
      const connection = await amqp.connect(url);
      try {
        for (const name of names) {
          // A failed delete closes the channel, so each gets its own.
          const channel = await connection.createChannel();
          channel.on('error', () => undefined);
          await channel.deleteQueue(name).catch(() => undefined);
          await channel.deleteExchange(name).catch(() => undefined);
          await channel.close().catch(() => undefined);
        }
      } finally {
        await connection.close();
      }
    },
  };
}

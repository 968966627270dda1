import amqp, { type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import { logger as defaultLogger, type Logger } from '@roadmap/kit';

export interface BrokerOptions {
  url: string;
  /** Longest pause between reconnection attempts (default 10 s). */
  maxReconnectDelayMs?: number;
  /** Shown in the management UI's connection list. */
  name?: string;
  logger?: Logger;
}

export interface Broker {
  /** amqplib's recovering connection: reconnects by itself, with exponential backoff. */
  readonly model: RecoveringChannelModel;
  /** Called with each new underlying connection, the first one included; returns an unsubscribe. */
  onConnect(listener: (model: ChannelModel) => void): () => void;
  readonly connected: boolean;
  close(): Promise<void>;
}

/**
 * One TCP connection per process, shared by the publisher and every consumer (each on channels
 * of its own). Why amqplib's own recovery: it reconnects with jittered exponential backoff, but
 * a channel dies with its connection, so publishers and consumers listen to `onConnect` and
 * open fresh channels (and re-declare their topology) each time.
 */
export async function connectBroker(options: BrokerOptions): Promise<Broker> {
  const log = options.logger ?? defaultLogger;
  // Why a 10 s heartbeat (unless the URL sets one): a silently dead peer is noticed in about
  // 20 s rather than the broker's default of a minute or more.
  const url = new URL(options.url);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '10');
  const model = await amqp.connect(url.toString(), {
    clientProperties: { connection_name: options.name ?? 'roadmap-events' },
    recovery: {
      initialDelay: 100,
      maxDelay: options.maxReconnectDelayMs ?? 10_000,
      factor: 2,
      jitter: 0.2,
      // Fail fast at start-up (a wrong URL is a configuration error), never give up later.
      initialMaxRetries: 3,
      maxRetries: Infinity,
      waitForConnect: false,
    },
  });
  let current: ChannelModel | undefined;
  const listeners = new Set<(model: ChannelModel) => void>();
  model.on('connect', (next: ChannelModel) => {
    current = next;
    // Why: a connection-level error (heartbeat timeout, socket reset) is also announced as
    // 'disconnect' below; without a listener it would crash the process.
    next.on('error', () => undefined);
    log.info({ broker: options.name }, 'broker connected');
    for (const listener of listeners) listener(next);
  });
  model.on('disconnect', (err: Error) => {
    current = undefined;
    log.warn({ err, broker: options.name }, 'broker connection lost; reconnecting');
  });
  model.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
    log.info({ attempt, delay, broker: options.name }, 'broker reconnect scheduled');
  });
  model.on('error', (err: Error) => log.warn({ err }, 'broker error'));
  await model.waitForConnect();
  return {
    model,
    onConnect(listener) {
      listeners.add(listener);
      if (current) listener(current);
      return () => listeners.delete(listener);
    },
    get connected() {
      return current !== undefined;
    },
    close: async () => {
      listeners.clear();
      await model.close();
    },
  };
}

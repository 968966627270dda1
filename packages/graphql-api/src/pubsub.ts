import { logger } from '@roadmap/kit';
import type { Redis } from 'ioredis';

/**
 * Redis pub/sub behind GraphQL subscriptions. Why Redis and not an in-memory emitter: behind a
 * load balancer, the instance that runs `addComment` is rarely the one holding the subscriber's
 * WebSocket. Every instance publishes to Redis and listens on its own subscriber connection.
 */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once Redis confirmed the subscription, so nothing published after is missed. */
  subscribe(topic: string): Promise<AsyncIterableIterator<unknown>>;
  close(): Promise<void>;
}

/** Messages a slow socket may fall behind by before the oldest are dropped. */
const MAX_QUEUE = 1_000;

export function createRedisPubSub(redis: Redis, channelPrefix: string): PubSub {
  // A connection in subscriber mode can do nothing else, hence a second one. Why the offline
  // queue on it: kit's clients fail fast while disconnected, and this new connection is not up
  // yet when the first SUBSCRIBE comes; queued, it waits for the connection (commandTimeout
  // still bounds it) instead of failing the subscription.
  const subscriber = redis.duplicate({ enableOfflineQueue: true });
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  subscriber.on('message', (channel: string, message: string) => {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (err) {
      logger.warn({ err, channel }, 'pub/sub message is not JSON; dropped');
      return;
    }
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  });

  async function subscribe(topic: string): Promise<AsyncIterableIterator<unknown>> {
    const channel = channelPrefix + topic;
    const queue: unknown[] = [];
    let waiting: ((result: IteratorResult<unknown>) => void) | undefined;
    let finished = false;
    const listener = (payload: unknown) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: payload, done: false });
        return;
      }
      queue.push(payload);
      if (queue.length > MAX_QUEUE) queue.shift();
    };
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(listener);

    const finish = async (): Promise<IteratorResult<unknown>> => {
      if (!finished) {
        finished = true;
        set.delete(listener);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await subscriber.unsubscribe(channel).catch(() => undefined);
        }
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
      }
      return { value: undefined, done: true };
    };

    const iterator: AsyncIterableIterator<unknown> = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          waiting = resolve;
        });
      },
      return: finish,
      throw: async (error: unknown) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  return {
    async publish(topic, payload) {
      await redis.publish(channelPrefix + topic, JSON.stringify(payload));
    },
    subscribe,
    async close() {
      listeners.clear();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}

import { z } from 'zod';
import { loadConfig, port, url } from '@roadmap/kit';

const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 1000,5000,30000')
  .transform((value) => value.split(',').map(Number));

/** Every knob of the bus and the relay; each one is documented in README.md and .env.example. */
export const eventsEnvShape = {
  RABBITMQ_URL: url(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'),
  /** The one topic exchange every event is published to, routed by its type. */
  EVENTS_EXCHANGE: z.string().min(1).max(200).default('conduit.events'),
  /** Unacknowledged messages a consumer holds at once (AMQP basic.qos). */
  EVENTS_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(32),
  /** One delay per retry: a handler that throws is retried after each, then dead-lettered. */
  EVENTS_RETRY_DELAYS_MS: delays.default([1_000, 5_000, 30_000]),
  /** Quorum-queue x-delivery-limit: redeliveries (crashes before an ack) before dead-lettering. */
  EVENTS_DELIVERY_LIMIT: z.coerce.number().int().min(1).max(1_000).default(5),
  /** A publish whose confirm has not arrived in this long fails (the caller may retry). */
  EVENTS_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** Longest pause between two reconnection attempts (backoff doubles up to it). */
  EVENTS_RECONNECT_MAX_DELAY_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** Relay: outbox rows claimed per transaction. */
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Relay: how often it polls when no NOTIFY arrives (the fallback if LISTEN is lost). */
  RELAY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  /** Relay: port of its /healthz and /readyz (`pnpm start` sets it from EVENTS_PORT). */
  PORT: port(3110),
};

export type EventsConfig = ReturnType<typeof loadEventsConfig>;

export function loadEventsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(eventsEnvShape, env);
}

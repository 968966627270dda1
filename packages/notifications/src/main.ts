// The notifications service as a process: `pnpm --filter @roadmap/notifications dev` (and
// `pnpm start`). One process runs both entry points — the RabbitMQ consumer and the HTTP API —
// over one store; run several and Redis pub/sub lets any of them serve any user's stream.
import { createLogger, onShutdown, redactUrl, runMain, StartupError } from '@roadmap/kit';
import { createMetrics, startHttpServer } from '@roadmap/kit/express';
import { connectBroker } from '@roadmap/events';
import { buildApp } from './app';
import { loadNotificationsConfig, storeKind } from './config';
import { createNotificationsConsumer } from './consumer';
import { JwksVerifier } from './jwks';
import { createNotificationsService } from './notifications.service';
import { RealtimeHub } from './realtime';
import { openStore } from './stores';

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

runMain(async () => {
  const config = loadNotificationsConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'notifications' });
  const { store, description } = await openStore(config).catch((err: unknown) => {
    throw new StartupError(`the ${storeKind(config)} store is not reachable (${reason(err)}).`);
  });
  const realtime = await RealtimeHub.connect(
    config.REDIS_URL,
    config.NOTIFICATIONS_CHANNEL_PREFIX,
    logger,
  ).catch((err: unknown) => {
    throw new StartupError(
      `Redis is not reachable at ${redactUrl(config.REDIS_URL)} (${reason(err)}).`,
    );
  });
  const broker = await connectBroker({
    url: config.RABBITMQ_URL,
    name: 'notifications',
    maxReconnectDelayMs: config.EVENTS_RECONNECT_MAX_DELAY_MS,
    logger,
  }).catch((err: unknown) => {
    throw new StartupError(`RabbitMQ is not reachable at RABBITMQ_URL (${reason(err)}).`);
  });

  // One registry for both entry points: /metrics shows the HTTP side and the consumer's.
  const metrics = createMetrics({ service: 'notifications' });
  const service = createNotificationsService({ store, realtime, logger });
  const verifier = new JwksVerifier({
    url: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
    timeoutMs: config.JWKS_TIMEOUT_MS,
    cacheTtlMs: config.JWKS_CACHE_TTL_MS,
    minRefreshIntervalMs: config.JWKS_MIN_REFRESH_INTERVAL_MS,
    logger,
  });
  const consumer = createNotificationsConsumer(broker, service, {
    exchange: config.EVENTS_EXCHANGE,
    queue: config.NOTIFICATIONS_QUEUE,
    retryDelaysMs: config.EVENTS_RETRY_DELAYS_MS,
    deliveryLimit: config.EVENTS_DELIVERY_LIMIT,
    prefetch: config.EVENTS_PREFETCH,
    logger,
    metrics: metrics.events,
  });
  const { app, health, streams } = buildApp({
    service,
    store,
    realtime,
    verifier,
    pageMax: config.NOTIFICATIONS_PAGE_MAX,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    maxStreams: config.SSE_MAX_STREAMS,
    logger,
    metrics,
    readiness: [
      {
        name: 'rabbitmq',
        check: () =>
          consumer.subscribed ? Promise.resolve() : Promise.reject(new Error('not subscribed')),
      },
    ],
  });
  await consumer.start();
  // Streams never finish by themselves: end them as shutdown begins, so draining is quick
  // (EventSource reconnects to another instance after `retry`).
  onShutdown(() => Promise.resolve(streams.closeAll()), logger);
  await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'notifications',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'consumer', close: () => consumer.stop() },
      { name: 'rabbitmq', close: () => broker.close() },
      { name: 'redis', close: () => realtime.close() },
      { name: 'store', close: () => store.close() },
    ],
  });
  logger.info(
    { store: description, queue: config.NOTIFICATIONS_QUEUE, jwks: config.JWKS_URL },
    'notifications running',
  );
});

// The outbox relay as a process of its own: `pnpm --filter @roadmap/events relay` (and
// `pnpm start`). It serves /healthz and /readyz so a supervisor can tell it is alive and
// connected, and /metrics (publishes, batch durations, the outbox backlog) for Prometheus;
// everything else it does is move outbox rows to RabbitMQ.
import { createLogger, loadConfig, runMain, StartupError } from '@roadmap/kit';
import { createHttpApp, createMetrics, finishHttpApp, startHttpServer } from '@roadmap/kit/express';
import {
  outboxBacklog,
  createPool,
  DEFAULT_DATABASE_URL,
  dataSqlEnvShape,
} from '@roadmap/data-sql';
import { eventsEnvShape } from './bus/config';
import { connectBroker } from './bus/connection';
import { Publisher } from './bus/publisher';
import { OutboxRelay } from './relay/relay';

runMain(async () => {
  const config = loadConfig({ ...eventsEnvShape, DATABASE_URL: dataSqlEnvShape.DATABASE_URL });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'outbox-relay' });
  const databaseUrl = config.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const pool = createPool(databaseUrl, { max: 2, applicationName: 'outbox-relay' });
  // Served by createHttpApp's /metrics on PORT (behind METRICS_ALLOW, as in every app).
  const metrics = createMetrics({ service: 'outbox-relay' });
  metrics.trackPool('outbox-relay', pool);
  const broker = await connectBroker({
    url: config.RABBITMQ_URL,
    name: 'outbox-relay',
    maxReconnectDelayMs: config.EVENTS_RECONNECT_MAX_DELAY_MS,
    logger,
  }).catch((err: unknown) => {
    throw new StartupError(
      `RabbitMQ is not reachable at RABBITMQ_URL (${err instanceof Error ? err.message : String(err)}).`,
    );
  });
  // 'report': an event type no consumer is bound to yet is not an error; it is logged.
  const publisher = new Publisher(broker, {
    exchange: config.EVENTS_EXCHANGE,
    timeoutMs: config.EVENTS_PUBLISH_TIMEOUT_MS,
    unroutable: 'report',
    logger,
    metrics: metrics.events,
  });
  await publisher.start();
  const relay = new OutboxRelay({
    pool,
    databaseUrl,
    sink: publisher,
    batchSize: config.RELAY_BATCH_SIZE,
    pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
    logger,
    metrics: metrics.events,
    outbox: 'conduit',
  });

  const { app, health } = createHttpApp({
    name: 'outbox-relay',
    logger,
    metrics,
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1') },
      {
        name: 'rabbitmq',
        check: () =>
          publisher.ready
            ? Promise.resolve()
            : Promise.reject(new Error('no channel to the broker')),
      },
    ],
  });
  app.get('/stats', async (_req, res) => {
    res.json({ ...relay.stats, ...(await outboxBacklog(pool)) });
  });
  finishHttpApp(app);
  relay.start();
  await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'outbox-relay',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'relay', close: () => relay.stop() },
      { name: 'publisher', close: () => publisher.close() },
      { name: 'rabbitmq', close: () => broker.close() },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  logger.info({ exchange: config.EVENTS_EXCHANGE }, 'outbox relay running');
});

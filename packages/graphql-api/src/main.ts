import { createAuthCore } from '@roadmap/auth';
import { createPool, prepareDatabase, startupProbeUrl } from '@roadmap/data-sql';
import { connectRedis, createLogger, assertReachable, runMain } from '@roadmap/kit';
import { startHttpServer } from '@roadmap/kit/express';
import { buildApp } from './app';
import { loadGraphqlApiConfig } from './config';

/** The process: read config, prepare the database, connect, listen (HTTP and WebSocket). */
runMain(async () => {
  const config = loadGraphqlApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'graphql-api' });

  // Fail at start-up with one line naming what is down, instead of on the first request.
  await assertReachable({
    postgres: startupProbeUrl(config.DATABASE_URL, config.NODE_ENV),
    redis: config.REDIS_URL,
  });

  // data-sql's one start-up policy: development migrates; production refuses pending migrations.
  await prepareDatabase(config.DATABASE_URL, config.NODE_ENV);
  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    applicationName: 'graphql-api',
  });
  // kit's client: bounded connect and command timeouts, so a Redis outage answers instead of hanging.
  const redis = await connectRedis(config.REDIS_URL, {
    name: 'graphql-api',
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    logger,
  });
  const auth = createAuthCore({ pool, redis, config });
  const api = await buildApp({ pool, redis, auth, config, logger });

  let closeSubscriptions: () => Promise<void> = () => Promise.resolve();
  const { url, server } = await startHttpServer({
    app: api.app,
    health: api.health,
    port: config.PORT,
    name: 'graphql-api',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    closers: [
      { name: 'subscriptions', close: () => closeSubscriptions() },
      { name: 'apollo', close: () => api.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  closeSubscriptions = api.attachSubscriptions(server);
  logger.info({ url: `${url}/graphql` }, 'graphql-api listening');
});

import { createAuth } from '@roadmap/auth/express';
import { createPool, prepareDatabase, seedDemoIfEmpty, startupProbeUrl } from '@roadmap/data-sql';
import { connectRedis, createLogger, assertReachable, runMain } from '@roadmap/kit';
import { httpTimeouts, startHttpServer } from '@roadmap/kit/express';
import { buildApp } from './app';
import { loadRestApiConfig } from './config';

/**
 * The process: read config, prepare the database, connect, listen.
 * Everything the app does is in buildApp(), which the tests call with their own clients.
 */
runMain(async () => {
  const config = loadRestApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'rest-api' });

  // Fail at start-up with one line naming what is down, instead of on the first request.
  await assertReachable({
    postgres: startupProbeUrl(config.DATABASE_URL, config.NODE_ENV),
    redis: config.REDIS_URL,
  });

  // The one start-up policy (data-sql): development migrates; production refuses pending
  // migrations, since an empty database would pass /readyz and then fail every request.
  await prepareDatabase(config.DATABASE_URL, config.NODE_ENV);
  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    applicationName: 'rest-api',
  });
  // A first look should have something to look at; never outside development.
  if (config.NODE_ENV === 'development' && config.DEMO_DATA)
    await seedDemoIfEmpty(pool, (line) => logger.info(line));
  const redis = await connectRedis(config.REDIS_URL, {
    name: 'rest-api',
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    logger,
  });
  const auth = createAuth({ pool, redis, config });
  const { app, health } = buildApp({ pool, redis, auth, config, logger });

  await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'rest-api',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: httpTimeouts(config),
    links: { docs: '/docs' },
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    closers: [
      { name: 'auth', close: () => auth.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
});

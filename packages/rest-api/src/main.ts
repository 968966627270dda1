import { createAuth } from '@roadmap/auth/express';
import { createPool, prepareDatabase } from '@roadmap/data-sql';
import {
  createLogger,
  runMain,
  StartupError,
  probeService,
  unreachableMessage,
} from '@roadmap/kit';
import { startHttpServer } from '@roadmap/kit/express';
import { Redis } from 'ioredis';
import { buildApp } from './app';
import { loadRestApiConfig } from './config';

/**
 * The process: read config, prepare the database, connect, listen.
 * Everything the app does is in buildApp(), which the tests call with their own clients.
 */
runMain(async () => {
  const config = loadRestApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'rest-api' });

  // Fail at start-up with one line naming what is down, instead of on the first request. Outside
  // production the database itself may not exist yet (prepareDatabase creates it), so the
  // probe asks the server's maintenance database.
  const postgresProbeUrl = new URL(config.DATABASE_URL);
  if (config.NODE_ENV !== 'production') postgresProbeUrl.pathname = '/postgres';
  for (const name of ['postgres', 'redis'] as const) {
    const probe = await probeService(
      name,
      name === 'postgres' ? postgresProbeUrl.toString() : config.REDIS_URL,
    );
    if (!probe.ok) throw new StartupError(unreachableMessage(probe));
  }

  // The one start-up policy (data-sql): development migrates; production refuses pending
  // migrations, since an empty database would pass /readyz and then fail every request.
  await prepareDatabase(config.DATABASE_URL, config.NODE_ENV);
  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    applicationName: 'rest-api',
  });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const auth = createAuth({ pool, redis, config });
  const { app, health } = buildApp({ pool, redis, auth, config, logger });

  const { url } = await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'rest-api',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    closers: [
      { name: 'auth', close: () => auth.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  logger.info({ url, docs: `${url}/docs` }, 'rest-api listening');
});

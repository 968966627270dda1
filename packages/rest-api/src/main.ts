import { createAuth } from '@roadmap/auth/express';
import { assertMigrated, createPool } from '@roadmap/data-sql';
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
 * The process: read config, connect, listen. Nothing else (migrations are `pnpm db:migrate`).
 * Everything the app does is in buildApp(), which the tests call with their own clients.
 */
runMain(async () => {
  const config = loadRestApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'rest-api' });

  // Fail at start-up with one line naming what is down, instead of on the first request.
  for (const name of ['postgres', 'redis'] as const) {
    const probe = await probeService(
      name,
      name === 'postgres' ? config.DATABASE_URL : config.REDIS_URL,
    );
    if (!probe.ok) throw new StartupError(unreachableMessage(probe));
  }

  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    applicationName: 'rest-api',
  });
  // An empty database would pass /readyz (SELECT 1) and then fail every request; refuse instead.
  await assertMigrated(pool).catch(async (error: unknown) => {
    await pool.end();
    throw error;
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
    closers: [
      { name: 'auth', close: () => auth.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  logger.info({ url, docs: `${url}/docs` }, 'rest-api listening');
});

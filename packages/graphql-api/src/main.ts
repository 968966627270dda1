import { createAuth } from '@roadmap/auth';
import { assertMigrated, createPool } from '@roadmap/data-sql';
import {
  createLogger,
  probeService,
  runMain,
  startHttpServer,
  StartupError,
  unreachableMessage,
} from '@roadmap/kit';
import { Redis } from 'ioredis';
import { buildApp } from './app';
import { loadGraphqlApiConfig } from './config';

/** The process: read config, connect, listen (HTTP and WebSocket on the same port). */
runMain(async () => {
  const config = loadGraphqlApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'graphql-api' });

  for (const name of ['postgres', 'redis'] as const) {
    const probe = await probeService(
      name,
      name === 'postgres' ? config.DATABASE_URL : config.REDIS_URL,
    );
    if (!probe.ok) throw new StartupError(unreachableMessage(probe));
  }

  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    applicationName: 'graphql-api',
  });
  await assertMigrated(pool).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const auth = createAuth({ pool, redis, config });
  const api = await buildApp({ pool, redis, auth, config, logger });

  let closeSubscriptions: () => Promise<void> = () => Promise.resolve();
  const { url, server } = await startHttpServer({
    app: api.app,
    health: api.health,
    port: config.PORT,
    name: 'graphql-api',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: [
      { name: 'subscriptions', close: () => closeSubscriptions() },
      { name: 'apollo', close: () => api.close() },
      { name: 'auth', close: () => auth.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  closeSubscriptions = api.attachSubscriptions(server);
  logger.info({ url: `${url}/graphql` }, 'graphql-api listening');
});

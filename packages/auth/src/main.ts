import {
  connectRedis,
  loadConfig,
  logger,
  port,
  redisConfigShape,
  runMain,
  trustProxy,
  url,
} from '@roadmap/kit';
import { httpTimeouts, startHttpServer } from '@roadmap/kit/express';
import {
  createPool,
  DEFAULT_DATABASE_URL,
  findUserByEmail,
  insertUser,
  prepareDatabase,
} from '@roadmap/data-sql';
import { buildAuthApp } from './express';
import { assertProductionSecrets, authConfigShape } from './config';

runMain(async () => {
  const config = loadConfig({
    ...authConfigShape,
    PORT: port(3006),
    DATABASE_URL: url(['postgres:', 'postgresql:'], DEFAULT_DATABASE_URL),
    REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    ...redisConfigShape,
    /** Set when a TLS-terminating proxy is in front (production cookies are Secure by default). */
    TRUST_PROXY: trustProxy(),
  });
  assertProductionSecrets(config);

  // The one start-up policy (data-sql): development migrates, production refuses pending ones.
  await prepareDatabase(config.DATABASE_URL, config.NODE_ENV);
  const pool = createPool(config.DATABASE_URL);
  const redis = await connectRedis(config.REDIS_URL, {
    name: 'auth',
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
  });
  const { app, health, auth } = buildAuthApp({
    pool,
    redis,
    config,
    trustProxy: config.TRUST_PROXY,
  });

  if (config.NODE_ENV === 'development') {
    // Two accounts to try the README's curl lines with; development only, never elsewhere.
    for (const [email, username, role] of [
      ['admin@example.com', 'admin', 'admin'],
      ['reader@example.com', 'reader', 'user'],
    ] as const) {
      if (!(await findUserByEmail(pool, email))) {
        await insertUser(pool, {
          email,
          username,
          role,
          passwordHash: await auth.passwords.hash('password123'),
        });
        logger.warn({ email }, 'created a development account (password: password123)');
      }
    }
  }

  const { url: address } = await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'auth',
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    timeouts: httpTimeouts(config),
    closers: [
      { name: 'auth', close: () => auth.close() },
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'postgres', close: () => pool.end() },
    ],
  });
  process.stdout.write(
    `auth stage listening on ${address} (JWKS at ${address}/.well-known/jwks.json)\n`,
  );
});

import pg from 'pg';
import { loadConfig, port, url } from '../config';
import { createLogger } from '../logger';
import { runMain } from '../main';
import { startHttpServer } from '../server';
import { buildExampleApp } from './app';

runMain(async () => {
  const config = loadConfig({
    PORT: port(3900),
    DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/postgres'),
  });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'kit-example' });
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: 2,
    connectionTimeoutMillis: 2_000,
  });
  const { app, health } = buildExampleApp({ pool });
  const { url: address } = await startHttpServer({
    app,
    health,
    port: config.PORT,
    name: 'kit-example',
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    closers: [{ name: 'postgres', close: () => pool.end() }],
  });
  process.stdout.write(`kit example listening on ${address}\n`);
});

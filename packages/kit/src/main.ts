import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config';
import { installProcessHandlers } from './lifecycle';
import { logger } from './logger';

/**
 * Runs an app's main(). A bad configuration or a dependency that is not there at start-up
 * ends the process with one readable line and exit code 1, not a stack trace.
 */
export function runMain(main: () => Promise<unknown>): void {
  loadDotEnv();
  installProcessHandlers(logger);
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
    } else if (logger.isLevelEnabled('fatal')) {
      logger.fatal({ err: error }, 'start-up failed');
    } else {
      // The default logger is silent under NODE_ENV=test; a failed start must not be.
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`start-up failed: ${detail}\n`);
    }
    process.exit(1);
  });
}

/** A start-up failure whose message is already written for a human (e.g. "Redis is down"). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Loads the nearest `.env` (this folder or a parent, e.g. the repository root) into
 * process.env without overriding what the shell already set. Node's own loader, no library.
 */
export function loadDotEnv(from = process.cwd()): string | undefined {
  if (process.env.NODE_ENV === 'test') return undefined; // tests set their own environment
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.env');
    if (existsSync(file)) {
      const before = { ...process.env };
      process.loadEnvFile(file);
      Object.assign(process.env, before);
      return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

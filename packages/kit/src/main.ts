import { ConfigError } from './config';
import { installProcessHandlers } from './lifecycle';
import { logger } from './logger';

/**
 * Runs an app's main(). A bad configuration or a dependency that is not there at start-up
 * ends the process with one readable line and exit code 1, not a stack trace.
 */
export function runMain(main: () => Promise<unknown>): void {
  installProcessHandlers(logger);
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, 'start-up failed');
    }
    process.exit(1);
  });
}

/** A start-up failure whose message is already written for a human (e.g. "Redis is down"). */
export class StartupError extends Error {
  override name = 'StartupError';
}

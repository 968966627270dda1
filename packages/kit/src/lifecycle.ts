import { logger as defaultLogger, type Logger } from './logger';

/** Something to close on the way out: a pool, a Redis client, an AMQP connection, a server. */
export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

/** 128 + SIGPIPE (13): the status a shell shows for a program stopped by a broken pipe. */
const EXIT_BROKEN_PIPE = 141;

type ShutdownStep = (reason: string) => Promise<void>;

const steps: ShutdownStep[] = [];
const finalSteps: (() => Promise<unknown>)[] = [];
let installed = false;
let exiting: Promise<void> | undefined;

/**
 * Registers work to do when the process is asked to stop. Process-level handlers are
 * installed once, here, and nowhere else (see "One error type" in ARCHITECTURE.md).
 */
export function onShutdown(step: ShutdownStep, log: Logger = defaultLogger): void {
  steps.push(step);
  installProcessHandlers(log);
}

/** Work for after every shutdown step has finished, e.g. flushing the last spans. */
export function afterShutdown(step: () => Promise<unknown>): void {
  finalSteps.push(step);
}

/** Runs every registered step once; resolves when all are done. */
export function shutdownAll(reason: string): Promise<void> {
  exiting ??= Promise.allSettled(steps.map((step) => step(reason))).then(async (results) => {
    await Promise.allSettled(finalSteps.map((step) => step()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f): unknown => f.reason),
        'shutdown failed',
      );
  });
  return exiting;
}

export function installProcessHandlers(log: Logger = defaultLogger): void {
  if (installed) return;
  installed = true;
  const stop = (reason: string, code: number) => {
    log.info({ reason }, 'shutting down');
    shutdownAll(reason).then(
      () => {
        log.info('shutdown complete');
        process.exit(code);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Why: `program | head -3` closes our stdout after three lines. Node then reports EPIPE as
  // an 'error' on the stream; unhandled, it became an uncaught exception whose log line
  // (written to the same closed stdout) failed again, for ever, at 100% CPU. A closed output
  // means nobody is listening: stop at once, as a program killed by SIGPIPE would.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
      throw error;
    });
  }
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('SIGINT', () => stop('SIGINT', 0));
  // Why exit on these: after an unexpected error the process state is unknown; the safest
  // thing is to finish what is in flight, close cleanly and let the supervisor restart us.
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection');
    stop('unhandledRejection', 1);
  });
  process.on('uncaughtException', (error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    log.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
}

/** Closes each client in order, each bounded by the time left. */
export async function closeAll(closers: Closer[], deadline: number, log: Logger): Promise<void> {
  for (const closer of closers) {
    const left = Math.max(0, deadline - Date.now());
    try {
      await Promise.race([
        closer.close(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`${closer.name} did not close in time`)), left).unref(),
        ),
      ]);
      log.info({ client: closer.name }, 'closed');
    } catch (error) {
      log.warn({ err: error, client: closer.name }, 'close failed');
    }
  }
}

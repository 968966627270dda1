/**
 * A twelve-line logger: one JSON object per line, the format log collectors expect.
 * basics imports no workspace package (it teaches node: modules alone), so it does not use
 * the kit's pino logger; everything else in the repository does.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(rank, value);
}

export function createLogger(level: LogLevel = defaultLevel()): Logger {
  const write =
    (at: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (rank[at] < rank[level]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields });
      (at === 'error' || at === 'warn' ? process.stderr : process.stdout).write(line + '\n');
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function defaultLevel(): LogLevel {
  const fromEnv = process.env.LOG_LEVEL;
  if (fromEnv && isLogLevel(fromEnv)) return fromEnv;
  // Why: test output should show test results, not one access-log line per request.
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

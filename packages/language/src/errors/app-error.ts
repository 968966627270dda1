import { inspect } from 'node:util';

/**
 * One error class for everything the application expects to go wrong: a stable `code` that
 * code and clients can branch on (messages change, codes do not), and an HTTP status for the
 * edge to use. `cause` (ES2022) keeps the lower-level error that led to it.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly status: number;

  constructor(message: string, options: { code: string; status: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
  }
}

/** Subclasses name a family of failures; `instanceof` and the fields keep working. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';

  constructor(what: string, cause?: unknown) {
    super(`${what} was not found`, { code: 'not_found', status: 404, cause });
  }
}

export class ConfigError extends AppError {
  override name = 'ConfigError';

  constructor(message: string, cause?: unknown) {
    super(message, { code: 'config_invalid', status: 500, cause });
  }
}

/** "Name: message" for the error and every `cause` under it, outermost first. */
export function causeChain(err: unknown): string[] {
  const chain: string[] = [];
  let current = err;
  // Why a limit: a cause can point back at an error higher up the chain.
  while (current instanceof Error && chain.length < 10) {
    chain.push(`${current.name}: ${current.message}`);
    current = current.cause;
  }
  // Anything can be thrown (or be a cause): a string, an object.
  if (current !== undefined && chain.length < 10) chain.push(inspect(current));
  return chain;
}

const OPERATIONAL_SYSTEM_CODES = new Set([
  'ENOENT',
  'EACCES',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EADDRINUSE',
]);

/**
 * Operational errors are part of normal life — a missing file, a refused connection, bad
 * input — and are handled: retry, answer 4xx/503, report. Everything else (a TypeError, an
 * undefined property) is a programmer error: a bug, whose only fix is a code change.
 */
export function isOperational(err: unknown): boolean {
  if (err instanceof AppError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && OPERATIONAL_SYSTEM_CODES.has(code);
}

/**
 * The one error type of the project. Services throw it; the one error handler turns it into
 * the one JSON shape (the RealWorld one): {"errors": {"<field>": ["<message>"]}}.
 */
export type ErrorDetails = Record<string, string[]>;

export interface AppErrorOptions {
  /** Stable, machine-readable: 'validation', 'not_found', 'conflict', … */
  code: string;
  status: number;
  message: string;
  /** The key under "errors" (defaults to "body"). */
  field?: string;
  /** Several fields at once, e.g. from validation; overrides field/message in the body. */
  details?: ErrorDetails;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails;
  readonly headers: Record<string, string>;

  constructor(options: AppErrorOptions) {
    super(options.message, { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.details = options.details ?? { [options.field ?? 'body']: [options.message] };
    this.headers = options.headers ?? {};
  }

  /** 5xx details are for logs only. */
  get isServerError(): boolean {
    return this.status >= 500;
  }

  static validation(details: ErrorDetails, cause?: unknown): AppError {
    return new AppError({
      code: 'validation',
      status: 422,
      message: 'Validation failed',
      details,
      cause,
    });
  }

  static badRequest(message: string, field = 'body'): AppError {
    return new AppError({ code: 'bad_request', status: 400, message, field });
  }

  static unauthorized(field = 'token', message = 'is missing'): AppError {
    return new AppError({ code: 'unauthorized', status: 401, message, field });
  }

  static forbidden(resource = 'resource'): AppError {
    return new AppError({ code: 'forbidden', status: 403, message: 'forbidden', field: resource });
  }

  static notFound(resource = 'resource'): AppError {
    return new AppError({ code: 'not_found', status: 404, message: 'not found', field: resource });
  }

  static conflict(field: string, message = 'has already been taken', cause?: unknown): AppError {
    return new AppError({ code: 'conflict', status: 409, message, field, cause });
  }

  static payloadTooLarge(limit?: string): AppError {
    const message = limit ? `is larger than ${limit}` : 'is too large';
    return new AppError({ code: 'payload_too_large', status: 413, message, field: 'body' });
  }

  static tooManyRequests(retryAfterSeconds: number, field = 'request'): AppError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new AppError({
      code: 'rate_limited',
      status: 429,
      message: `too many requests, retry in ${seconds}s`,
      field,
      headers: { 'Retry-After': String(seconds) },
    });
  }

  static unavailable(message = 'service unavailable'): AppError {
    return new AppError({ code: 'unavailable', status: 503, message });
  }

  static internal(cause: unknown): AppError {
    return new AppError({ code: 'internal', status: 500, message: 'internal server error', cause });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

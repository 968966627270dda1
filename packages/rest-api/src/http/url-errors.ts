import { AppError } from '@roadmap/kit';
import type { ErrorRequestHandler } from 'express';

/**
 * `/api/articles/%E0%A4%A` cannot be percent-decoded: Express's router throws a URIError while
 * matching the route, before any handler runs. It is the client's mistake, so a 400 in the one
 * error shape, not the 500 an unknown error becomes.
 */
export const malformedUrl: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  next(
    error instanceof URIError ? AppError.badRequest('is not valid percent-encoding', 'url') : error,
  );
};

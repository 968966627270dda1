import type { Logger } from '@roadmap/kit';
import { toAppError } from '@roadmap/kit/express';
import type { ErrorRequestHandler } from 'express';
import { codeFor } from '../errors';

/**
 * Errors raised before Apollo sees the request (body too large, malformed JSON, rate limit)
 * answered in the GraphQL response shape, so a GraphQL client can read them like any other:
 * `{"errors":[{"message":…,"extensions":{"code":…}}]}` with the HTTP status of the problem.
 */
const httpCode = (status: number) =>
  status === 400 ? 'BAD_REQUEST' : status === 413 ? 'PAYLOAD_TOO_LARGE' : codeFor(status);

export function graphqlHttpErrors(jsonLimit: string, log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = toAppError(error, jsonLimit);
    if (appError.isServerError) log.error({ err: appError.cause ?? appError }, 'request failed');
    const message = appError.isServerError
      ? 'Internal server error'
      : Object.entries(appError.details)
          .map(([field, messages]) => `${field} ${messages.join(', ')}`)
          .join('; ');
    res
      .status(appError.status)
      .set(appError.headers)
      .type('application/json')
      .send(
        JSON.stringify({ errors: [{ message, extensions: { code: httpCode(appError.status) } }] }),
      );
  };
}

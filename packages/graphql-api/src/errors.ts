import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, logger } from '@roadmap/kit';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The one place where the services' AppError becomes a GraphQL error. The status an AppError
 * carries for REST picks the `extensions.code` here, so both APIs tell a client the same thing:
 *
 *   400/422 → BAD_USER_INPUT (with `field` and every field's messages in `details`)
 *   401 → UNAUTHENTICATED   403 → FORBIDDEN   404 → NOT_FOUND   409 → CONFLICT
 *   429 → RATE_LIMITED      503 → SERVICE_UNAVAILABLE (and HTTP 503: see below)
 *   other 5xx → INTERNAL_SERVER_ERROR, message hidden outside development
 */
export function codeFor(status: number): string {
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'BAD_USER_INPUT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL_SERVER_ERROR';
}

/** A plain error object (no stack, no cause) for an AppError, as a GraphQL response shows it. */
export function appErrorExtensions(error: AppError): Record<string, unknown> {
  const fields = Object.keys(error.details);
  return {
    code: codeFor(error.status),
    ...(fields.length > 0 && fields[0] !== 'body' ? { field: fields[0] } : {}),
    details: error.details,
  };
}

function messageOf(error: AppError): string {
  const entries = Object.entries(error.details);
  if (entries.length === 0) return error.message;
  return entries.map(([field, messages]) => `${field} ${messages.join(', ')}`).join('; ');
}

/** An AppError raised outside a resolver (the context), carrying its HTTP status for Apollo. */
export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(messageOf(error), {
    extensions: { ...appErrorExtensions(error), http: { status: error.status } },
  });
}

/**
 * Apollo's formatError hook: every error of every response passes through here.
 * `development` shows the original message of an unexpected error (never in production).
 */
export function createFormatError(development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      if (original.isServerError) {
        logger.error({ err: original.cause ?? original, path: formatted.path }, 'resolver failed');
        const code = codeFor(original.status);
        return {
          message:
            development || code === 'SERVICE_UNAVAILABLE'
              ? original.message
              : 'Internal server error',
          path: formatted.path,
          locations: formatted.locations,
          extensions: { code },
        };
      }
      return {
        message: messageOf(original),
        path: formatted.path,
        locations: formatted.locations,
        extensions: appErrorExtensions(original),
      };
    }
    // Errors from GraphQL itself (syntax, validation, variables) and from GraphQL Armor are
    // GraphQLErrors meant for the client: they pass as they are.
    if (original instanceof GraphQLError) return formatted;
    // Anything else is a bug or a lost dependency: logged whole, shown as nothing specific.
    logger.error({ err: original, path: formatted.path }, 'resolver failed');
    if (development) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * A lost dependency (PostgreSQL down: data-sql's 503) makes the whole response a 503 with
 * Retry-After, as in the REST API, so a load balancer or client retries instead of reading a
 * 200 whose data is null.
 */
export const unavailableStatus: ApolloServerPlugin = {
  requestDidStart: () =>
    Promise.resolve({
      didEncounterErrors: ({ errors, response }) => {
        const unavailable = errors.some((error) => {
          const original = unwrapResolverError(error);
          return original instanceof AppError && original.status === 503;
        });
        if (unavailable) {
          response.http.status = 503;
          response.http.headers.set('retry-after', '5');
        }
        return Promise.resolve();
      },
    }),
};

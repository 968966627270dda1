import { AppError } from '@roadmap/kit';
import mongoose from 'mongoose';

/**
 * Every MongoDB/mongoose failure a caller can cause, as the project's one error type: the
 * field it concerns and a status — never a stack trace in a response. Unknown errors pass
 * through unchanged (the error handler turns them into a logged 500).
 */
export function mapMongoError(error: unknown): unknown {
  if (error instanceof AppError) return error;

  if (error instanceof mongoose.Error.ValidationError) {
    const details: Record<string, string[]> = {};
    for (const [path, inner] of Object.entries(error.errors)) {
      (details[path] ??= []).push(messageOf(inner));
    }
    return AppError.validation(details, error);
  }

  // An id that is not an ObjectId names nothing that exists: 404, like a well-formed unknown id.
  if (error instanceof mongoose.Error.CastError) {
    if (error.path === '_id' || error.kind === 'ObjectId')
      return AppError.notFound(error.path === '_id' ? 'id' : error.path);
    return AppError.validation({ [error.path]: ['is invalid'] }, error);
  }

  if (error instanceof mongoose.Error.StrictModeError) {
    return AppError.validation({ [error.path]: ['is not a known field'] }, error);
  }

  if (error instanceof Error && /is not allowed with sanitizeFilter/.test(error.message)) {
    return AppError.validation({ filter: ['may not contain query operators'] }, error);
  }

  if (isServerError(error)) {
    if (error.code === 11000 || error.code === 11001) {
      const field = Object.keys(error.keyValue ?? error.keyPattern ?? {})[0] ?? 'body';
      return AppError.conflict(field, 'has already been taken', error);
    }
    // DocumentValidationFailure: the collection's $jsonSchema refused a write mongoose let by.
    if (error.code === 121) {
      return AppError.validation({ body: ['does not match the collection schema'] }, error);
    }
    // BSONObjectTooLarge (server side).
    if (error.code === 10334) return tooLarge(error);
  }

  // The driver refuses a document over maxBsonObjectSize before sending it.
  if (error instanceof Error && /larger than the maximum size/i.test(error.message)) {
    return tooLarge(error);
  }

  if (
    error instanceof Error &&
    /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/.test(
      error.name,
    )
  ) {
    return new AppError({
      code: 'db_unavailable',
      status: 503,
      message: 'database unavailable',
      cause: error,
    });
  }
  return error;
}

export function tooLarge(cause?: unknown): AppError {
  return AppError.validation({ body: ['is too large to store as one document'] }, cause);
}

/** Runs fn and turns any database error into an AppError (see mapMongoError). */
export async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapMongoError(error);
  }
}

interface ServerErrorShape {
  code: number;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
}

// Duck-typed: MongoServerError and MongoBulkWriteError both carry `code` (and keyValue for
// duplicates), and the class may come from another copy of the driver.
function isServerError(error: unknown): error is Error & ServerErrorShape {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    /^Mongo/.test(error.name)
  );
}

function messageOf(inner: mongoose.Error.ValidatorError | mongoose.Error.CastError): string {
  if (inner instanceof mongoose.Error.CastError) return 'is invalid';
  switch (inner.kind) {
    case 'required':
      return "can't be blank";
    case 'maxlength':
      return 'is too long';
    case 'minlength':
      return 'is too short';
    case 'enum':
      return 'is not one of the allowed values';
    case 'regexp':
      return 'is invalid';
    default:
      return inner.message.replace(/^Path `[^`]+` /, '');
  }
}

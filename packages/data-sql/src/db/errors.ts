import { AppError, isAppError } from '@roadmap/kit';

/** The fields of a pg DatabaseError we read (pg does not export a type guard for it). */
interface PgErrorLike {
  code?: string;
  constraint?: string;
  column?: string;
  table?: string;
  detail?: string;
  message?: string;
}

/**
 * Constraint name → the API field it protects. Unique and check constraints are named in the
 * migrations on purpose, so this table is the whole contract between schema and error body.
 */
const UNIQUE_FIELDS: Record<string, string> = {
  users_email_lower_key: 'email',
  users_username_lower_key: 'username',
  articles_slug_key: 'slug',
  tags_name_key: 'tagList',
  oauth_identities_provider_subject_key: 'identity',
  refresh_tokens_token_hash_key: 'token',
};

const CHECK_MESSAGES: Record<string, [field: string, message: string]> = {
  follows_not_self: ['username', 'cannot follow yourself'],
  users_role_check: ['role', 'must be one of user, editor, admin'],
  users_bio_check: ['bio', "can't be empty (use null)"],
  users_image_check: ['image', "can't be empty (use null)"],
  tags_name_check: ['tagList', 'each tag must be 1 to 64 characters'],
  articles_favorites_count_check: ['favoritesCount', 'cannot be negative'],
};

/** A foreign key column → the resource a missing parent is reported as. */
const PARENTS: Record<string, string> = {
  article_id: 'article',
  author_id: 'user',
  user_id: 'user',
  follower_id: 'user',
  followee_id: 'user',
  family_id: 'tokenFamily',
  tag_id: 'tag',
};

/**
 * PostgreSQL's default constraint names are `<table>_<column>_check` and
 * `<table>_<column>_fkey`; this recovers the column.
 */
function columnOf(err: PgErrorLike, suffix: '_check' | '_fkey'): string {
  const name = err.constraint ?? '';
  const prefix = `${err.table ?? ''}_`;
  const stripped = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return stripped.endsWith(suffix) ? stripped.slice(0, -suffix.length) : (err.column ?? '');
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection ended',
];

/**
 * Turns a driver error into the project's one error type, naming the field where there is
 * one, so no raw PostgreSQL message (which leaks table names) reaches a client.
 */
export function mapPgError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as PgErrorLike;
  const code = e.code ?? '';

  switch (code) {
    case '23505': {
      const field = UNIQUE_FIELDS[e.constraint ?? ''] ?? camel(e.column ?? 'resource');
      return AppError.conflict(field, 'has already been taken', err);
    }
    case '23514': {
      const known = CHECK_MESSAGES[e.constraint ?? ''];
      const [field, message] = known ?? [camel(columnOf(e, '_check') || 'body'), 'is invalid'];
      return AppError.validation({ [field]: [message] }, err);
    }
    case '23502':
      return AppError.validation({ [camel(e.column ?? 'body')]: ["can't be blank"] }, err);
    case '23503': {
      // Inserting a child of a missing parent is "not found"; deleting a parent that still
      // has children under ON DELETE RESTRICT is a conflict.
      // The constraint is named <child table>_<column>_fkey, e.g. comments_article_id_fkey.
      const column = columnOf(e, '_fkey');
      if ((e.detail ?? '').includes('is still referenced')) {
        return AppError.conflict(PARENTS[column] ?? 'resource', 'is still in use', err);
      }
      return new AppError({
        code: 'not_found',
        status: 404,
        message: 'not found',
        field: PARENTS[column] ?? 'resource',
        cause: err,
      });
    }
    case '22001':
      return AppError.validation({ [camel(e.column ?? 'body')]: ['is too long'] }, err);
    case '22021':
      // "invalid byte sequence for encoding UTF8", e.g. a NUL character (\u0000) in a string:
      // valid JSON, but PostgreSQL text cannot store it. The client sent it, so a 422.
      return AppError.validation(
        { [camel(e.column ?? 'body')]: ['contains an invalid character'] },
        err,
      );
    case '22P02':
    case '22003':
      return AppError.validation({ [camel(e.column ?? 'body')]: ['is invalid'] }, err);
    case '40001':
    case '40P01':
      return new AppError({
        code: 'concurrent_update',
        status: 409,
        message: 'was changed concurrently, retry',
        field: 'resource',
        cause: err,
      });
    case '57014':
      // statement_timeout (or a cancel): the database is too slow right now.
      return new AppError({
        code: 'db_timeout',
        status: 503,
        message: 'database timed out',
        cause: err,
      });
    default:
      break;
  }
  if (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P03' ||
    CONNECTION_CODES.has(code) ||
    CONNECTION_MESSAGES.some((m) => (e.message ?? '').includes(m))
  ) {
    return new AppError({
      code: 'db_unavailable',
      status: 503,
      message: 'database unavailable',
      cause: err,
    });
  }
  return AppError.internal(err);
}

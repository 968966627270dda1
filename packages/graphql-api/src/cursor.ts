import { AppError } from '@roadmap/kit';
import { LIMITS } from '@roadmap/conduit';

/**
 * Relay-style paging over the same offsets REST uses. The cursor is opaque to clients
 * (base64url of "o:<offset>"): they pass `endCursor` back as `after` and never build one, so
 * switching to keyset cursors later (created_at, id) breaks no client.
 */
const PREFIX = 'o:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = cursor.length <= 32 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^o:(\d{1,9})$/.exec(text);
  const offset = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset > LIMITS.maxOffset)
    throw AppError.validation({ after: ['is not a cursor this API issued'] });
  return offset;
}

export interface PageArgs {
  /** Rows to return. */
  limit: number;
  /** Rows to skip. */
  offset: number;
}

/** `first` 1–100 (default 20), `after` a cursor: anything else is BAD_USER_INPUT naming the argument. */
export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
): PageArgs {
  const limit = first ?? LIMITS.defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxLimit)
    throw AppError.validation({
      first: [`must be between 1 and ${LIMITS.maxLimit}`],
    });
  const offset = after === null || after === undefined ? 0 : decodeCursor(after) + 1;
  return { limit, offset };
}

/** Edges and pageInfo of one page; `rows` holds one row more than asked when a next page exists. */
export function toPage<T>(rows: T[], page: PageArgs) {
  const items = rows.slice(0, page.limit);
  const edges = items.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A result type: the failure is part of the signature, and `.value` needs an `ok` check. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

/**
 * Generic over the item and the key: the key function's return type becomes the record's key
 * type, and the groups keep the item type. `K extends PropertyKey` rejects keys an object
 * cannot have (an array, an object).
 */
export function groupBy<T, K extends PropertyKey>(
  items: readonly T[],
  keyOf: (item: T) => K,
): Partial<Record<K, T[]>> {
  const groups: Partial<Record<K, T[]>> = {};
  for (const item of items) (groups[keyOf(item)] ??= []).push(item);
  return groups;
}

/** `satisfies` checks the object against a type without widening it: keys and literals stay. */
export const routes = {
  listArticles: { method: 'GET', path: '/api/articles' },
  createArticle: { method: 'POST', path: '/api/articles' },
  favorite: { method: 'POST', path: '/api/articles/:slug/favorite' },
} as const satisfies Record<
  string,
  { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: `/api/${string}` }
>;

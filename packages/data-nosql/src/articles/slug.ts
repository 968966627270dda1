import { slugify as kitSlugify, slugWithSuffix as kitSlugWithSuffix } from '@roadmap/kit';

/**
 * The same slug rules as data-sql (kit's, with `feed` reserved because `GET /api/articles/feed`
 * is the feed); this package may not import data-sql — see the package graph.
 */
const RESERVED_SLUGS: ReadonlySet<string> = new Set(['feed']);

export const slugify = (title: string): string => kitSlugify(title, RESERVED_SLUGS);

/** A taken slug gets 6 random base-36 characters; the unique index catches the rare clash. */
export const slugWithSuffix = (title: string): string => kitSlugWithSuffix(title, RESERVED_SLUGS);

/** Trimmed, empty ones dropped, duplicates removed, the author's order kept. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = tag.trim().toLowerCase();
    if (clean) seen.add(clean);
  }
  return [...seen];
}

import { randomBytes } from 'node:crypto';

/**
 * The same slug rules as data-sql (this package may not import it — see the package graph):
 * "How to Train Your Dragon!" → "how-to-train-your-dragon"; accents folded to ASCII; `feed` is
 * reserved because `GET /api/articles/feed` is the feed.
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (!slug) return 'article';
  return slug === 'feed' ? 'feed-article' : slug;
}

/** A taken slug gets 6 random base-36 characters; the unique index catches the rare clash. */
export function slugWithSuffix(title: string): string {
  const suffix = BigInt(`0x${randomBytes(5).toString('hex')}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
  return `${slugify(title)}-${suffix}`;
}

/** Trimmed, empty ones dropped, duplicates removed, the author's order kept. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = tag.trim().toLowerCase();
    if (clean) seen.add(clean);
  }
  return [...seen];
}

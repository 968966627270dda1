import { randomBytes } from 'node:crypto';

/**
 * Slugs that are also path segments of the API: `GET /api/articles/feed` is the feed, so an
 * article titled "Feed" must not get the slug `feed` (it could never be fetched).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['feed']);

/**
 * "How to Train Your Dragon!" → "how-to-train-your-dragon". Accents are folded to ASCII
 * (é → e) so slugs stay readable in URLs; anything else becomes a dash. A reserved slug gets
 * "-article" appended ("Feed" → "feed-article").
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
  return RESERVED_SLUGS.has(slug) ? `${slug}-article` : slug;
}

/**
 * The slug a second article with the same title gets: the title slug plus a short random
 * suffix ("how-to-train-your-dragon-k3x9q2"). Why random and not "-2", "-3": a counter needs
 * "SELECT max(...)" first, which races between two concurrent writers and leaks how many
 * articles share a title; 6 base-36 characters collide with negligible probability, and the
 * unique index catches the case where they do.
 */
export function slugWithSuffix(title: string): string {
  const suffix = BigInt(`0x${randomBytes(5).toString('hex')}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
  return `${slugify(title)}-${suffix}`;
}

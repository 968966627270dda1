import { randomBytes } from 'node:crypto';

/**
 * "How to Train Your Dragon!" → "how-to-train-your-dragon". Accents are folded to ASCII
 * (é → e) so slugs stay readable in URLs; anything else becomes a dash; at most 80 characters.
 * A slug in `reserved` (a path segment of the API, like `feed` in `GET /api/articles/feed`)
 * gets "-article" appended, so the resource it names can still be fetched.
 */
export function slugify(title: string, reserved: ReadonlySet<string> = new Set()): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (!slug) return 'article';
  return reserved.has(slug) ? `${slug}-article` : slug;
}

/**
 * The slug a second resource with the same title gets: the slug plus a short random suffix
 * ("how-to-train-your-dragon-k3x9q2"). Why random and not "-2", "-3": a counter needs
 * "SELECT max(...)" first, which races between two concurrent writers and leaks how many
 * resources share a title; 6 base-36 characters collide with negligible probability, and a
 * unique index catches the case where they do.
 */
export function slugWithSuffix(title: string, reserved?: ReadonlySet<string>): string {
  const suffix = BigInt(`0x${randomBytes(5).toString('hex')}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
  return `${slugify(title, reserved)}-${suffix}`;
}

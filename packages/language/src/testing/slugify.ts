/**
 * "How to Train Your Dragon!" → "how-to-train-your-dragon": the URL-safe part of an article's
 * address. Accents are folded to their base letter, everything else that is not a letter or a
 * digit becomes one dash, and the result is at most `maxLength` characters, never ending in a dash.
 */
export function slugify(title: string, maxLength = 60): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

import { slugify as kitSlugify, slugWithSuffix as kitSlugWithSuffix } from '@roadmap/kit';

/**
 * Slugs that are also path segments of the API: `GET /api/articles/feed` is the feed, so an
 * article titled "Feed" must not get the slug `feed` (it could never be fetched).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['feed']);

/** An article's slug: kit's rules (ASCII, dashes, 80 characters) with the API's reserved words. */
export const slugify = (title: string): string => kitSlugify(title, RESERVED_SLUGS);

/** A taken slug gets 6 random base-36 characters; the unique index catches the rare clash. */
export const slugWithSuffix = (title: string): string => kitSlugWithSuffix(title, RESERVED_SLUGS);

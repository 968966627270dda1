import { z } from 'zod';
import { LIMITS, text } from './limits';

const required = (max: number) => text().trim().min(1).max(max);

/**
 * Tags keep the order the author gave (the API tests check it); duplicates are dropped.
 * Why NFC: "café" typed as e + U+0301 and as é must be one tag, not two that look the same.
 */
const tagList = z
  .array(text().trim().normalize('NFC').min(1).max(LIMITS.tag))
  .max(LIMITS.tags)
  .transform((tags) => [...new Set(tags)]);

export const newArticleSchema = z.object({
  title: required(LIMITS.title),
  description: required(LIMITS.description),
  body: required(LIMITS.body),
  tagList: tagList.optional().default([]),
});
export type NewArticle = z.infer<typeof newArticleSchema>;

/** Every field optional; `tagList: []` removes all tags, a missing tagList keeps them. */
export const updateArticleSchema = z.object({
  title: required(LIMITS.title).optional(),
  description: required(LIMITS.description).optional(),
  body: required(LIMITS.body).optional(),
  tagList: tagList.optional(),
});
export type UpdateArticle = z.infer<typeof updateArticleSchema>;

/**
 * Query strings arrive as text: `limit=abc`, `limit=-1`, `limit=1e9` are all 422 here rather
 * than a NaN reaching SQL. A filter given twice (`?tag=a&tag=b`) is also refused.
 */
const integerText = (min: number, max: number, fallback: number) =>
  text()
    .regex(/^\d{1,9}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((n) => n ?? fallback);

export const paginationSchema = z.object({
  limit: integerText(1, LIMITS.maxLimit, LIMITS.defaultLimit),
  offset: integerText(0, LIMITS.maxOffset, 0),
});
export type Pagination = z.infer<typeof paginationSchema>;

/**
 * `?tag=` (empty, or only spaces) means "no filter": front ends send the parameter with an
 * empty value when the field is blank, and refusing that with a 422 helps nobody.
 * NFC, as tags and usernames are stored: a decomposed `?author=jo%CC%88se%CC%81` finds `jösé`.
 */
const filter = (max: number) =>
  text()
    .trim()
    .normalize('NFC')
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

export const listArticlesSchema = paginationSchema.extend({
  tag: filter(LIMITS.tag),
  author: filter(LIMITS.username),
  favorited: filter(LIMITS.username),
});
export type ListArticlesQuery = z.infer<typeof listArticlesSchema>;

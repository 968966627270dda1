import { z } from 'zod';

/**
 * What the services return: exactly the shapes of the RealWorld spec, with no HTTP in them.
 * Each shape is declared once, as a zod schema: the TypeScript types below are inferred from
 * it, rest-api derives its OpenAPI response schemas from it, and the GraphQL stage maps from
 * it. Dates are ISO-8601 strings so a cached copy and a fresh one are indistinguishable.
 */
export const profileView = z.object({
  username: z.string(),
  bio: z.string().nullable(),
  image: z.string().nullable(),
  following: z.boolean(),
});
export type Profile = z.infer<typeof profileView>;

export const userView = z.object({
  email: z.string(),
  token: z.string(),
  username: z.string(),
  bio: z.string().nullable(),
  image: z.string().nullable(),
});
export type UserView = z.infer<typeof userView>;

export const articleView = z.object({
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  body: z.string(),
  tagList: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  favorited: z.boolean(),
  favoritesCount: z.number().int(),
  author: profileView,
});
export type Article = z.infer<typeof articleView>;

/** List items leave the body out (the spec's MultipleArticlesResponse). */
export const articleListItemView = articleView.omit({ body: true });
export type ArticleListItem = z.infer<typeof articleListItemView>;

export const articleListView = z.object({
  articles: z.array(articleListItemView),
  articlesCount: z.number().int(),
});
export type ArticleList = z.infer<typeof articleListView>;

export const commentView = z.object({
  id: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  body: z.string(),
  author: profileView,
});
export type Comment = z.infer<typeof commentView>;

export const tagListView = z.array(z.string());

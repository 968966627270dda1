import type { ArticleConnectionResolvers, ArticleResolvers } from '../generated/resolvers-types';
import { isRow } from '../parents';

const iso = (value: string | Date) => (typeof value === 'string' ? value : value.toISOString());

/**
 * An article from a use case already carries its author, tags and flags; a row from a page
 * does not, and asks the request's DataLoaders (one query per loader for the whole page).
 */
export const Article: ArticleResolvers = {
  createdAt: (article) => iso(article.createdAt),
  updatedAt: (article) => iso(article.updatedAt),
  author: (article, _args, { loaders }) =>
    isRow(article) ? loaders.authors.load(article.authorId) : article.author,
  tagList: async (article, _args, { loaders }) =>
    isRow(article) ? (await loaders.articleStates.load(article.id)).tagList : article.tagList,
  favorited: async (article, _args, { loaders }) =>
    isRow(article) ? (await loaders.articleStates.load(article.id)).favorited : article.favorited,
  favoritesCount: async (article, _args, { loaders }) =>
    isRow(article)
      ? (await loaders.articleStates.load(article.id)).favoritesCount
      : article.favoritesCount,
};

export const ArticleConnection: ArticleConnectionResolvers = {
  totalCount: (connection) => connection.count(),
};

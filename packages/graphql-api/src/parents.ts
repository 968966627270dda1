import type { Article, ArticleRow, Comment, Profile, UserView } from '@roadmap/conduit';

/**
 * What each resolver receives as its parent object. An article comes in two forms: the full
 * view a use case returns (article(slug), the mutations), or a bare row from a page, whose
 * author, tags and flags the field resolvers load through the request's DataLoaders.
 */
export type ArticleParent = Article | ArticleRow;

export function isRow(article: ArticleParent): article is ArticleRow {
  return 'authorId' in article;
}

export interface ArticleEdgeParent {
  cursor: string;
  node: ArticleParent;
}

export interface PageInfoParent {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface ArticleConnectionParent {
  edges: ArticleEdgeParent[];
  pageInfo: PageInfoParent;
  /** Why a function: the count is a query of its own, run only when `totalCount` is selected. */
  count: () => Promise<number>;
}

export type ProfileParent = Profile;
export type CommentParent = Comment;
export type UserParent = UserView;

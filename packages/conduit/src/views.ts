/**
 * What the services return: exactly the shapes of the RealWorld spec, with no HTTP in them.
 * Dates are ISO-8601 strings so a cached copy and a fresh one are indistinguishable.
 */
export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export interface UserView {
  email: string;
  token: string;
  username: string;
  bio: string | null;
  image: string | null;
}

export interface Article {
  slug: string;
  title: string;
  description: string;
  body: string;
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: boolean;
  favoritesCount: number;
  author: Profile;
}

/** List items leave the body out (the spec's MultipleArticlesResponse). */
export type ArticleListItem = Omit<Article, 'body'>;

export interface ArticleList {
  articles: ArticleListItem[];
  articlesCount: number;
}

export interface Comment {
  id: number;
  createdAt: string;
  updatedAt: string;
  body: string;
  author: Profile;
}

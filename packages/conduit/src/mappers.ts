import type {
  Article as ArticleRecord,
  ArticleSummary,
  Comment as CommentRecord,
  Profile as ProfileRecord,
  User,
} from '@roadmap/data-sql';
import type { Article, ArticleListItem, Comment, Profile, UserView } from './views';

/** Repository objects carry ids and Dates; the API shows usernames and ISO strings. */
export function toProfile(profile: ProfileRecord): Profile {
  return {
    username: profile.username,
    bio: profile.bio,
    image: profile.image,
    following: profile.following,
  };
}

export function toUserView(user: User, token: string): UserView {
  return { email: user.email, token, username: user.username, bio: user.bio, image: user.image };
}

export function toListItem(article: ArticleSummary): ArticleListItem {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.tagList,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    favorited: article.favorited,
    favoritesCount: article.favoritesCount,
    author: toProfile(article.author),
  };
}

export function toArticle(article: ArticleRecord): Article {
  const item = toListItem(article);
  // Spec order (slug, title, description, body, tagList, …): easier to read in curl output.
  return {
    slug: item.slug,
    title: item.title,
    description: item.description,
    body: article.body,
    tagList: item.tagList,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    favorited: item.favorited,
    favoritesCount: item.favoritesCount,
    author: item.author,
  };
}

export function toComment(comment: CommentRecord): Comment {
  return {
    id: comment.id,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    body: comment.body,
    author: toProfile(comment.author),
  };
}

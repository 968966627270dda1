import {
  articleListItemView,
  articleListView,
  articleView,
  LIMITS,
  listArticlesSchema,
  newArticleSchema,
  paginationSchema,
  updateArticleSchema,
  type Conduit,
} from '@roadmap/conduit';
import { profileSchema, slugParams } from './common.schema';
import { defineRoute, type RouteContext } from './http/route';
import { documented, z } from './openapi';

// Why extend with `author`: so the nested profile is the named `Profile` component ($ref).
export const articleSchema = documented(articleView.extend({ author: profileSchema }), 'Article');
const singleArticle = z.object({ article: articleSchema }).openapi('SingleArticleResponse');
export const multipleArticles = documented(
  articleListView.extend({
    articles: z.array(
      documented(articleListItemView.extend({ author: profileSchema }), 'ArticleListItem'),
    ),
  }),
  'MultipleArticlesResponse',
);

/** The query strings as the document shows them: integers with their bounds. */
const pagination = {
  limit: documented(paginationSchema.shape.limit, {
    type: 'integer',
    minimum: 1,
    maximum: LIMITS.maxLimit,
    default: LIMITS.defaultLimit,
    description: `How many articles to return (1–${LIMITS.maxLimit}).`,
  }),
  offset: documented(paginationSchema.shape.offset, {
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxOffset,
    default: 0,
    description: 'How many articles to skip.',
  }),
};
const paginationQuery = paginationSchema.extend(pagination);
const listQuery = listArticlesSchema.extend({
  ...pagination,
  tag: documented(listArticlesSchema.shape.tag, { description: 'Only articles with this tag' }),
  author: documented(listArticlesSchema.shape.author, {
    description: 'Only articles by this username',
  }),
  favorited: documented(listArticlesSchema.shape.favorited, {
    description: 'Only articles favorited by this username',
  }),
});

export function articlesRoutes(context: RouteContext, conduit: Conduit): void {
  // Why first: Express matches in order, and "/articles/:slug" would otherwise take "feed".
  defineRoute(context, {
    method: 'get',
    path: '/api/articles/feed',
    operationId: 'GetArticlesFeed',
    summary: 'Recent articles from users you follow',
    tag: 'Articles',
    policy: 'authenticated',
    query: paginationQuery,
    success: { status: 200, description: 'Newest first, without bodies', schema: multipleArticles },
    errors: [401, 422],
    handle: ({ actor, query }) => conduit.articles.feed(actor, query),
  });

  defineRoute(context, {
    method: 'get',
    path: '/api/articles',
    operationId: 'GetArticles',
    summary: 'Recent articles globally (auth optional)',
    tag: 'Articles',
    policy: 'public',
    auth: 'optional',
    query: listQuery,
    success: { status: 200, description: 'Newest first, without bodies', schema: multipleArticles },
    errors: [401, 422],
    handle: ({ actor, query }) => conduit.articles.listJson(actor, query),
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/articles',
    operationId: 'CreateArticle',
    summary: 'Create an article',
    tag: 'Articles',
    policy: 'article:create',
    body: { name: 'article', schema: documented(newArticleSchema, 'NewArticle') },
    success: { status: 201, description: 'The new article', schema: singleArticle },
    errors: [401, 422],
    handle: async ({ actor, body }) => ({ article: await conduit.articles.create(actor, body) }),
  });

  defineRoute(context, {
    method: 'get',
    path: '/api/articles/:slug',
    operationId: 'GetArticle',
    summary: 'Get an article (auth optional)',
    tag: 'Articles',
    policy: 'public',
    auth: 'optional',
    params: slugParams,
    success: { status: 200, description: 'The article', schema: singleArticle },
    errors: [401, 404, 422],
    handle: ({ actor, params }) => conduit.articles.getJson(actor, params.slug),
  });

  defineRoute(context, {
    method: 'put',
    path: '/api/articles/:slug',
    operationId: 'UpdateArticle',
    summary: 'Update an article (its author, or an editor)',
    tag: 'Articles',
    policy: 'article:update',
    params: slugParams,
    body: { name: 'article', schema: documented(updateArticleSchema, 'UpdateArticle') },
    success: {
      status: 200,
      description: 'The updated article (a new title gives a new slug)',
      schema: singleArticle,
    },
    errors: [401, 403, 404, 422],
    handle: async ({ actor, params, body }) => ({
      article: await conduit.articles.update(actor, params.slug, body),
    }),
  });

  defineRoute(context, {
    method: 'delete',
    path: '/api/articles/:slug',
    operationId: 'DeleteArticle',
    summary: 'Delete an article (its author, or an editor)',
    tag: 'Articles',
    policy: 'article:delete',
    params: slugParams,
    success: { status: 204, description: 'Deleted' },
    errors: [401, 403, 404, 422],
    handle: ({ actor, params }) => conduit.articles.remove(actor, params.slug),
  });

  defineRoute(context, {
    method: 'post',
    path: '/api/articles/:slug/favorite',
    operationId: 'CreateArticleFavorite',
    summary: 'Favorite an article',
    tag: 'Favorites',
    policy: 'article:favorite',
    params: slugParams,
    success: { status: 200, description: 'The article, favorited', schema: singleArticle },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      article: await conduit.articles.favorite(actor, params.slug),
    }),
  });

  defineRoute(context, {
    method: 'delete',
    path: '/api/articles/:slug/favorite',
    operationId: 'DeleteArticleFavorite',
    summary: 'Unfavorite an article',
    tag: 'Favorites',
    policy: 'article:favorite',
    params: slugParams,
    success: {
      status: 200,
      description: 'The article, no longer favorited',
      schema: singleArticle,
    },
    errors: [401, 404, 422],
    handle: async ({ actor, params }) => ({
      article: await conduit.articles.unfavorite(actor, params.slug),
    }),
  });
}

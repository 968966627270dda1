import { AppError } from '@roadmap/kit';
import { assertCan, type Actor } from '@roadmap/auth';
import {
  createArticle,
  deleteArticle,
  favoriteArticle,
  feedArticles,
  inTransaction,
  findArticleBySlug,
  findUserById,
  findViewerFlags,
  listArticles,
  listArticlesJson,
  unfavoriteArticle,
  updateArticle,
  type Article as ArticleRecord,
} from '@roadmap/data-sql';
import { cacheKeys } from './cache';
import { viewerId, type ConduitDeps } from './deps';
import { recordEvent } from './events';
import { jsonResponse, type JsonResponse } from '@roadmap/kit';
import { toArticle, toListItem } from './mappers';
import type { ListArticlesQuery, NewArticle, Pagination, UpdateArticle } from './articles.schema';
import type { Article, ArticleList } from './views';

/**
 * What the cache holds for one slug: the article as an anonymous reader sees it, plus the two
 * ids needed to compute the viewer's own flags. favorited and author.following depend on who
 * asks, so they are never cached; they are added per request (one small query).
 */
export interface CachedArticle {
  id: number;
  authorId: number;
  /** The weak ETag of the anonymous response body `{"article":…}` (see JsonResponse). */
  etag?: string;
  article: Article;
}

/**
 * The cache entry is written by hand (toCacheText) so that its head can be read without
 * parsing the whole text: the ids and the ETag come first, the article last. Then the anonymous
 * response body is the entry's tail behind `{`, byte for byte.
 */
const ENTRY_HEAD = /^\{"id":(\d+),"authorId":(\d+),"etag":("(?:[^"\\]|\\.)*"),"article":/;
const ARTICLE_KEY = '"article":';

function toCacheText(
  id: number,
  authorId: number,
  article: Article,
): { text: string; response: JsonResponse } {
  const articleJson = JSON.stringify(article);
  const response = jsonResponse(`{${ARTICLE_KEY}${articleJson}}`);
  const text = `{"id":${id},"authorId":${authorId},"etag":${JSON.stringify(response.etag)},${ARTICLE_KEY}${articleJson}}`;
  return { text, response };
}

/** The anonymous response straight from a cache entry, or null for an entry of another shape. */
function responseOfCacheText(text: string): JsonResponse | null {
  const head = ENTRY_HEAD.exec(text);
  if (!head) return null;
  const body = `{${text.slice(head[0].length - ARTICLE_KEY.length)}`;
  return jsonResponse(body, JSON.parse(head[3]!) as string);
}

const notFound = () => AppError.notFound('article');

export function createArticlesService(deps: ConduitDeps) {
  const { db, cache, cacheTtlSeconds } = deps;

  function anonymousView(record: ArticleRecord): CachedArticle {
    const article = toArticle(record);
    return {
      id: record.id,
      authorId: record.authorId,
      article: { ...article, favorited: false, author: { ...article.author, following: false } },
    };
  }

  /**
   * Cache-aside read: Redis first; on a miss, PostgreSQL, then remember the anonymous view.
   * Returns the record too when it came from the database (it already has the viewer's flags),
   * and the anonymous response when it was built on the way. `hit`: a cache read already done.
   */
  async function load(
    slug: string,
    viewer: number | null,
    hit?: string | null,
  ): Promise<{ cached: CachedArticle; fresh?: ArticleRecord; anonymous?: JsonResponse }> {
    const text = hit === undefined ? await cache.get(cacheKeys.article(slug)) : hit;
    if (text) return { cached: JSON.parse(text) as CachedArticle };
    const record = await findArticleBySlug(db, slug, viewer);
    if (!record) throw notFound();
    const cached = anonymousView(record);
    if (cacheTtlSeconds <= 0) return { cached, fresh: record };
    const entry = toCacheText(cached.id, cached.authorId, cached.article);
    await cache.set(cacheKeys.article(slug), entry.text, cacheTtlSeconds);
    return { cached, fresh: record, anonymous: entry.response };
  }

  /** Every write that changes what GET /articles/:slug or GET /tags shows calls this. */
  async function invalidate(slugs: string[], tagsChanged: boolean): Promise<void> {
    await cache.del(...slugs.map(cacheKeys.article), ...(tagsChanged ? [cacheKeys.tags()] : []));
  }

  /** GET /articles/:slug */
  async function get(actor: Actor, slug: string): Promise<Article> {
    const viewer = viewerId(actor);
    const { cached, fresh } = await load(slug, viewer);
    if (fresh) return toArticle(fresh);
    if (viewer === null) return cached.article;
    const flags = await findViewerFlags(db, viewer, cached.id, cached.authorId);
    return {
      ...cached.article,
      favorited: flags.favorited,
      author: { ...cached.article.author, following: flags.following },
    };
  }

  /**
   * GET /articles/:slug as the response body `{"article":…}`, ready to send. An anonymous
   * cache hit is sent as the cached text (no parse, no stringify, no hash); a viewer's flags
   * need the objects, so that path goes through get().
   */
  async function getJson(actor: Actor, slug: string): Promise<JsonResponse> {
    if (viewerId(actor) === null) {
      const hit = await cache.get(cacheKeys.article(slug));
      const ready = hit ? responseOfCacheText(hit) : null;
      if (ready) return ready;
      const { cached, anonymous } = await load(slug, null, hit);
      return anonymous ?? jsonResponse(JSON.stringify({ article: cached.article }));
    }
    return jsonResponse(JSON.stringify({ article: await get(actor, slug) }));
  }

  /** The article's id and author for writes that hang off it (comments); cache first. */
  async function idOf(slug: string): Promise<{ id: number; authorId: number }> {
    const { cached } = await load(slug, null);
    return { id: cached.id, authorId: cached.authorId };
  }

  /** GET /articles — newest first; filters are ANDed; list items carry no body. */
  async function list(actor: Actor, query: ListArticlesQuery): Promise<ArticleList> {
    const page = await listArticles(db, query, viewerId(actor));
    return { articles: page.articles.map(toListItem), articlesCount: page.articlesCount };
  }

  /**
   * GET /articles as the response body, built by PostgreSQL in one round trip (see
   * listArticlesJson): the same JSON as list(), without the rows becoming objects in Node.
   */
  async function listJson(actor: Actor, query: ListArticlesQuery): Promise<JsonResponse> {
    return jsonResponse(await listArticlesJson(db, query, viewerId(actor)));
  }

  /** GET /articles/feed — articles by the authors the viewer follows. */
  async function feed(actor: Actor, page: Pagination): Promise<ArticleList> {
    if (!actor) throw AppError.unauthorized('token', 'is missing');
    const result = await feedArticles(db, actor.userId, page);
    return { articles: result.articles.map(toListItem), articlesCount: result.articlesCount };
  }

  /** POST /articles — a duplicate title gets a unique slug (data-sql adds a random suffix). */
  async function create(actor: Actor, input: NewArticle): Promise<Article> {
    assertCan(actor, 'article:create');
    const record = await inTransaction(db, async (client) => {
      const created = await createArticle(client, actor.userId, input);
      await recordEvent(client, 'article.published', {
        articleId: created.id,
        slug: created.slug,
        title: created.title,
        authorId: created.authorId,
        authorUsername: created.author.username,
      });
      return created;
    });
    await invalidate([record.slug], input.tagList.length > 0);
    return toArticle(record);
  }

  /**
   * Loads the article and asks the policy whether this actor may change it. Authorization
   * lives here, not in the route: GraphQL calls the same function and gets the same answer.
   */
  async function loadForWrite(
    actor: Actor,
    slug: string,
    permission: 'article:update' | 'article:delete',
  ) {
    assertCan(actor, permission);
    const record = await findArticleBySlug(db, slug, viewerId(actor));
    if (!record) throw notFound();
    assertCan(actor, permission, { ownerId: record.authorId, type: 'article' });
    return record;
  }

  /** PUT /articles/:slug — a new title means a new slug; the old cache entry goes either way. */
  async function update(actor: Actor, slug: string, patch: UpdateArticle): Promise<Article> {
    const record = await loadForWrite(actor, slug, 'article:update');
    // Why: `{"article":{}}` changes nothing, so it writes nothing — updatedAt must not move.
    if (Object.values(patch).every((value) => value === undefined)) return toArticle(record);
    const updated = await inTransaction(db, async (client) => {
      const changed = await updateArticle(client, record.id, patch, viewerId(actor));
      if (!changed) throw notFound();
      await recordEvent(client, 'article.updated', {
        articleId: changed.id,
        slug: changed.slug,
        authorId: changed.authorId,
        changed: (['title', 'description', 'body', 'tagList'] as const).filter(
          (field) => patch[field] !== undefined,
        ),
      });
      return changed;
    });
    await invalidate([record.slug, updated.slug], patch.tagList !== undefined);
    return toArticle(updated);
  }

  /** DELETE /articles/:slug — its comments, favorites and tag links go with it (ON DELETE CASCADE). */
  async function remove(actor: Actor, slug: string): Promise<void> {
    const record = await loadForWrite(actor, slug, 'article:delete');
    await inTransaction(db, async (client) => {
      if (!(await deleteArticle(client, record.id))) throw notFound();
      await recordEvent(client, 'article.deleted', {
        articleId: record.id,
        slug: record.slug,
        authorId: record.authorId,
      });
    });
    await invalidate([record.slug], record.tagList.length > 0);
  }

  /** POST /articles/:slug/favorite — idempotent; favoritesCount is kept by a database trigger. */
  async function favorite(actor: Actor, slug: string): Promise<Article> {
    assertCan(actor, 'article:favorite');
    const record = await inTransaction(db, async (client) => {
      const favorited = await favoriteArticle(client, actor.userId, slug);
      if (!favorited) throw notFound();
      // A repeated favorite changes nothing, so it tells nobody anything.
      if (favorited.changed) {
        const user = await findUserById(client, actor.userId);
        await recordEvent(client, 'article.favorited', {
          articleId: favorited.id,
          articleSlug: favorited.slug,
          articleAuthorId: favorited.authorId,
          userId: actor.userId,
          username: user?.username ?? 'unknown',
        });
      }
      return favorited;
    });
    await invalidate([slug], false);
    return toArticle(record);
  }

  /** DELETE /articles/:slug/favorite */
  async function unfavorite(actor: Actor, slug: string): Promise<Article> {
    assertCan(actor, 'article:favorite');
    const record = await unfavoriteArticle(db, actor.userId, slug);
    if (!record) throw notFound();
    await invalidate([slug], false);
    return toArticle(record);
  }

  return { get, getJson, idOf, list, listJson, feed, create, update, remove, favorite, unfavorite };
}

export type ArticlesService = ReturnType<typeof createArticlesService>;

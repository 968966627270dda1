import { listTags } from '@roadmap/data-sql';
import { cacheKeys } from './cache';
import type { ConduitDeps } from './deps';
import { jsonResponse, lastResponseMemo, type JsonResponse } from '@roadmap/kit';

/** Enough for any tag cloud; the RealWorld tests expect a new tag to be listed at once. */
const MAX_TAGS = 1_000;

export function createTagsService(deps: Pick<ConduitDeps, 'db' | 'cache' | 'cacheTtlSeconds'>) {
  const { db, cache, cacheTtlSeconds } = deps;

  /** The tags as JSON text: from the cache, else from PostgreSQL (then cached). */
  async function load(): Promise<{ json: string; hit: boolean }> {
    const hit = await cache.get(cacheKeys.tags());
    if (hit) return { json: hit, hit: true };
    const json = JSON.stringify(await listTags(db, MAX_TAGS));
    await cache.set(cacheKeys.tags(), json, cacheTtlSeconds);
    return { json, hit: false };
  }

  /** GET /tags — cache-aside; the articles service drops the entry when tags change. */
  async function list(): Promise<string[]> {
    return JSON.parse((await load()).json) as string[];
  }

  const wrap = (tags: string) => `{"tags":${tags}}`;
  const memo = lastResponseMemo(wrap);

  /** GET /tags as the response body `{"tags":[…]}`, ready to send (see JsonResponse). */
  async function listJson(): Promise<JsonResponse> {
    const { json, hit } = await load();
    // Why only hits are memoised: with the cache off every call is a fresh read anyway.
    return hit ? memo(json) : jsonResponse(wrap(json));
  }

  return { list, listJson };
}

export type TagsService = ReturnType<typeof createTagsService>;

import { listTags } from '@roadmap/data-sql';
import { cacheKeys } from './cache';
import type { ConduitDeps } from './deps';

/** Enough for any tag cloud; the RealWorld tests expect a new tag to be listed at once. */
const MAX_TAGS = 1_000;

export function createTagsService(deps: Pick<ConduitDeps, 'db' | 'cache' | 'cacheTtlSeconds'>) {
  const { db, cache, cacheTtlSeconds } = deps;

  /** GET /tags — cache-aside; the articles service drops the entry when tags change. */
  async function list(): Promise<string[]> {
    const hit = await cache.get(cacheKeys.tags());
    if (hit) return JSON.parse(hit) as string[];
    const tags = await listTags(db, MAX_TAGS);
    await cache.set(cacheKeys.tags(), JSON.stringify(tags), cacheTtlSeconds);
    return tags;
  }

  return { list };
}

export type TagsService = ReturnType<typeof createTagsService>;

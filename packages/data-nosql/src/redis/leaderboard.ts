import type { Redis } from 'ioredis';

/**
 * Most-favorited articles as a sorted set: member = slug, score = favorites. ZINCRBY is atomic,
 * so concurrent favorites never lose a count, and reading the top N is O(log n + N) however
 * many articles there are — the database would sort (or keep an index on) the whole table.
 *
 * The set is a derived view, not the source of truth: the favorites table/collection is. After
 * a Redis restart or a missed event, `rebuild` reloads it from the source.
 */
// Unfavorite: decrement, and remove the member at 0 so the set holds only favorited articles.
const DECREMENT_LUA = `
local score = redis.call('ZINCRBY', KEYS[1], -1, ARGV[1])
if tonumber(score) <= 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
return score
`;

export interface LeaderboardEntry {
  slug: string;
  favorites: number;
  /** 1-based. */
  rank: number;
}

export class FavoritesLeaderboard {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}leaderboard:favorites`;
  }

  async favorited(slug: string): Promise<number> {
    return Number(await this.redis.zincrby(this.key, 1, slug));
  }

  async unfavorited(slug: string): Promise<number> {
    return Number(await this.redis.eval(DECREMENT_LUA, 1, this.key, slug));
  }

  /** Highest first; equal scores in reverse alphabetical order of slug (Redis' tie rule). */
  async top(n: number): Promise<LeaderboardEntry[]> {
    const flat = await this.redis.zrange(this.key, '0', String(n - 1), 'REV', 'WITHSCORES');
    const entries: LeaderboardEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      entries.push({ slug: flat[i]!, favorites: Number(flat[i + 1]), rank: i / 2 + 1 });
    }
    return entries;
  }

  /** 1-based rank, or null when the article has no favorites. */
  async rankOf(slug: string): Promise<number | null> {
    const rank = await this.redis.zrevrank(this.key, slug);
    return rank === null ? null : rank + 1;
  }

  /** Replace the whole view from the source of truth, atomically (readers never see it empty). */
  async rebuild(counts: ReadonlyArray<{ slug: string; favorites: number }>): Promise<void> {
    const staging = `${this.key}:rebuild`;
    const multi = this.redis.multi().del(staging);
    const positive = counts.filter((c) => c.favorites > 0);
    for (let i = 0; i < positive.length; i += 1000) {
      const args = positive.slice(i, i + 1000).flatMap((c) => [c.favorites, c.slug]);
      multi.zadd(staging, ...args);
    }
    if (positive.length > 0) multi.rename(staging, this.key);
    else multi.del(this.key);
    await multi.exec();
  }
}

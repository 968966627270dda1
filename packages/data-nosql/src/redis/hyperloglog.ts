import type { Redis } from 'ioredis';

/**
 * Unique readers of an article. An exact answer needs every reader id stored (a SET: bytes per
 * id, growing forever). A HyperLogLog estimates the count of distinct ids in at most 12 KB
 * whatever the count, with a standard error of 0.81% — enough for "1.2k readers".
 */
export class UniqueReaders {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(slug: string): string {
    return `${this.prefix}readers:${slug}`;
  }

  async record(slug: string, ...readerIds: string[]): Promise<void> {
    for (let i = 0; i < readerIds.length; i += 1000) {
      await this.redis.pfadd(this.key(slug), ...readerIds.slice(i, i + 1000));
    }
  }

  async count(slug: string): Promise<number> {
    return this.redis.pfcount(this.key(slug));
  }

  /** Readers of any of these articles, without double-counting someone who read several. */
  async countAcross(slugs: string[]): Promise<number> {
    return this.redis.pfcount(...slugs.map((s) => this.key(s)));
  }
}

/** |estimate − exact| / exact, as a fraction. */
export function relativeError(estimate: number, exact: number): number {
  return exact === 0 ? 0 : Math.abs(estimate - exact) / exact;
}

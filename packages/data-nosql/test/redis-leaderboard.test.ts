import { FavoritesLeaderboard } from '../src/redis/leaderboard';
import { redisFixture, type RedisFixture } from './support/redis';

let fx: RedisFixture;
beforeAll(async () => {
  fx = await redisFixture('leaderboard');
});
afterAll(() => fx.cleanup());

describe('most-favorited articles (sorted set)', () => {
  it('when articles are favorited and unfavorited, then top() ranks them by favorites', async () => {
    const board = new FavoritesLeaderboard(fx.redis, `${fx.prefix}a:`);
    for (const slug of ['dragons', 'dragons', 'dragons', 'cats', 'cats', 'owls'])
      await board.favorited(slug);
    await board.unfavorited('cats');
    expect(await board.top(10)).toEqual([
      { slug: 'dragons', favorites: 3, rank: 1 },
      { slug: 'owls', favorites: 1, rank: 2 },
      { slug: 'cats', favorites: 1, rank: 3 },
    ]);
    expect(await board.rankOf('owls')).toBe(2);
  });

  it('when the last favorite is removed, then the article leaves the board', async () => {
    const board = new FavoritesLeaderboard(fx.redis, `${fx.prefix}b:`);
    await board.favorited('once');
    expect(await board.unfavorited('once')).toBe(0);
    expect(await board.rankOf('once')).toBeNull();
    expect(await board.top(5)).toEqual([]);
  });

  it('when 200 favorites arrive concurrently from 4 connections, then none is lost', async () => {
    const clients = Array.from({ length: 4 }, () => fx.connect());
    const boards = clients.map((c) => new FavoritesLeaderboard(c, `${fx.prefix}c:`));
    await Promise.all(Array.from({ length: 200 }, (_, i) => boards[i % 4]!.favorited(`a${i % 5}`)));
    const top = await new FavoritesLeaderboard(fx.redis, `${fx.prefix}c:`).top(5);
    expect(top.map((e) => e.favorites)).toEqual([40, 40, 40, 40, 40]);
    for (const c of clients) c.disconnect();
  });

  it('when rebuilt from the source of truth, then the board equals the source exactly', async () => {
    const board = new FavoritesLeaderboard(fx.redis, `${fx.prefix}d:`);
    await board.favorited('stale'); // drifted: not in the source any more
    await board.rebuild([
      { slug: 'x', favorites: 5 },
      { slug: 'y', favorites: 0 },
      { slug: 'z', favorites: 7 },
    ]);
    expect(await board.top(10)).toEqual([
      { slug: 'z', favorites: 7, rank: 1 },
      { slug: 'x', favorites: 5, rank: 2 },
    ]);
    await board.rebuild([]);
    expect(await board.top(10)).toEqual([]);
  });
});

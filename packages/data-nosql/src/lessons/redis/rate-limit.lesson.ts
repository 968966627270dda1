// `pnpm --filter @roadmap/data-nosql lesson:rate-limit`
// 60 simultaneous requests from 6 connections against a limit of 10: Lua script vs count-then-add.
import { runMain } from '@roadmap/kit';
import { naiveHit, SlidingWindowLimiter } from '../../redis/rate-limiter';
import { openLessonRedis, print, sleep } from './lesson-redis';

runMain(async () => {
  const lesson = await openLessonRedis('rate-limit');
  try {
    const clients = Array.from({ length: 6 }, () => lesson.connect());
    await Promise.all(clients.map((c) => c.ping()));
    const burst = async (hit: (i: number) => Promise<boolean>) =>
      (await Promise.all(Array.from({ length: 60 }, (_, i) => hit(i)))).filter(Boolean).length;

    const limiters = clients.map(
      (c) => new SlidingWindowLimiter(c, { prefix: lesson.prefix, limit: 10, windowMs: 1_000 }),
    );
    const scripted = await burst(async (i) => (await limiters[i % 6]!.hit('ip-1')).allowed);
    const naive = await burst((i) => naiveHit(clients[i % 6]!, `${lesson.prefix}naive`, 10, 1_000));
    print('60 requests at once from 6 connections, limit 10 per second:');
    print(`  Lua script (count + add in one step) → ${scripted} admitted`);
    print(`  count, then add (two round trips)    → ${naive} admitted`);

    const refused = await limiters[0]!.hit('ip-1');
    print(
      `\nThe 61st request: allowed=${refused.allowed}, retry after ${refused.retryAfterMs} ms.`,
    );
    await sleep(refused.retryAfterMs + 50);
    print(
      `After waiting that long: allowed=${(await limiters[0]!.hit('ip-1')).allowed} (the window slid).`,
    );
  } finally {
    await lesson.close();
  }
});

// `pnpm --filter @roadmap/data-nosql lesson:lock`
// A holder pauses past its lease; a second takes the lock; the first wakes and writes.
import { runMain } from '@roadmap/kit';
import { FencedStore, RedisLock } from '../../redis/lock';
import { openLessonRedis, print, sleep } from './lesson-redis';

runMain(async () => {
  const lesson = await openLessonRedis('lock');
  try {
    const lock = new RedisLock(lesson.redis, lesson.prefix);
    const store = new FencedStore(lesson.redis, lesson.prefix);
    const a = (await lock.tryAcquire('report', 200))!;
    print(`A acquires the lock (lease 200 ms), fencing token ${a.token}.`);
    print('A pauses for 300 ms (a GC pause, a stalled VM)…');
    await sleep(300);
    const b = (await lock.tryAcquire('report', 5_000))!;
    print(`B acquires the expired lock, fencing token ${b.token}, and writes.`);
    await store.write('report', b.token, 'B');
    await store.writeUnfenced('report-unfenced', 'B');

    print('A wakes up, still believing it holds the lock, and writes too:');
    const accepted = await store.write('report', a.token, 'A');
    await store.writeUnfenced('report-unfenced', 'A');
    print(
      `  with the token:    write ${accepted ? 'accepted' : 'refused'} (token ${a.token} < ${b.token}); value = ${await store.read('report')}`,
    );
    print(
      `  without the token: value = ${await store.read('report-unfenced')} (B's write silently lost)`,
    );
    print(
      `A's release: ${(await lock.release(a)) ? 'deleted the lock' : 'refused (not the owner)'}; B still holds it.`,
    );
    await lock.release(b);
  } finally {
    await lesson.close();
  }
});

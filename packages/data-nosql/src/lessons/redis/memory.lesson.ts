// `pnpm --filter @roadmap/data-nosql lesson:memory`
// 1,000 profiles stored three ways; MEMORY USAGE of each; and the server's eviction policy.
import { runMain } from '@roadmap/kit';
import { encodingOf, memoryUsage, storeProfile, type Layout } from '../../redis/memory';
import { openLessonRedis, print } from './lesson-redis';

runMain(async () => {
  const lesson = await openLessonRedis('memory');
  try {
    const profile = {
      username: 'ada',
      bio: 'First programmer',
      image: 'https://example.com/ada.png',
    };
    print(
      `${'layout (1,000 profiles)'.padEnd(26)} ${'keys'.padStart(6)} ${'bytes'.padStart(10)} ${'per profile'.padStart(12)}  encoding`,
    );
    for (const layout of ['string per field', 'one JSON string', 'one hash'] as Layout[]) {
      const keys: string[] = [];
      const prefix = `${lesson.prefix}${layout.replace(/ /g, '_')}:`;
      for (let id = 1; id <= 1_000; id++)
        keys.push(...(await storeProfile(lesson.redis, prefix, layout, id, profile)));
      const bytes = await memoryUsage(lesson.redis, keys);
      print(
        `${layout.padEnd(26)} ${String(keys.length).padStart(6)} ${bytes.toLocaleString('en').padStart(10)} ${String(Math.round(bytes / 1000)).padStart(12)}  ${await encodingOf(lesson.redis, keys[0]!)}`,
      );
    }
    const [, policy] = (await lesson.redis.config('GET', 'maxmemory-policy')) as [string, string];
    const [, maxmemory] = (await lesson.redis.config('GET', 'maxmemory')) as [string, string];
    print(
      `\nThis server: maxmemory ${maxmemory === '0' ? 'unlimited' : maxmemory}, maxmemory-policy ${policy} (read only; see the README for the policies).`,
    );
  } finally {
    await lesson.close();
  }
});

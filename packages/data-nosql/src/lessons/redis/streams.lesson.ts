// `pnpm --filter @roadmap/data-nosql lesson:streams`
// The same 10 events through pub/sub and through a Stream with a consumer group; the consumer
// is killed half-way in both.
import { runMain } from '@roadmap/kit';
import {
  ack,
  appendEvent,
  claimStale,
  ensureGroup,
  pendingCount,
  readGroup,
} from '../../redis/streams';
import { openLessonRedis, print, sleep } from './lesson-redis';

runMain(async () => {
  const lesson = await openLessonRedis('streams');
  const { redis, prefix } = lesson;
  try {
    // Pub/sub
    const channel = `${prefix}events`;
    const got: string[] = [];
    const sub = lesson.connect();
    sub.on('message', (_c: string, m: string) => got.push(m));
    await sub.subscribe(channel);
    for (let i = 1; i <= 5; i++) await redis.publish(channel, String(i));
    await sleep(100);
    sub.disconnect();
    await sleep(100);
    let lost = 0;
    for (let i = 6; i <= 10; i++) if ((await redis.publish(channel, String(i))) === 0) lost++;
    print('Pub/sub (at most once):');
    print(
      `  the subscriber got ${got.join(',')}, then was killed; ${lost} events published meanwhile reached nobody and are gone.`,
    );

    // Streams
    const stream = `${prefix}stream`;
    await ensureGroup(redis, stream, 'workers');
    for (let i = 1; i <= 10; i++) await appendEvent(redis, stream, { n: String(i) });
    const a = lesson.connect();
    const readByA = await readGroup(a, stream, 'workers', 'a', 4);
    await ack(
      a,
      stream,
      'workers',
      readByA.slice(0, 2).map((e) => e.id),
    );
    a.disconnect();
    print('\nStream + consumer group (at least once):');
    print(
      `  consumer A read ${readByA.map((e) => e.fields.n).join(',')}, acknowledged 1,2, then was killed.`,
    );
    print(
      `  pending (delivered, not acknowledged): ${await pendingCount(redis, stream, 'workers')}`,
    );
    const b = lesson.connect();
    const fresh = await readGroup(b, stream, 'workers', 'b', 100);
    await ack(
      b,
      stream,
      'workers',
      fresh.map((e) => e.id),
    );
    await sleep(120);
    const claimed = await claimStale(b, stream, 'workers', 'b', 100);
    await ack(
      b,
      stream,
      'workers',
      claimed.map((e) => e.id),
    );
    print(`  consumer B read the new entries ${fresh.map((e) => e.fields.n).join(',')}`);
    print(
      `  and XAUTOCLAIMed A's entries idle > 100 ms: ${claimed.map((e) => e.fields.n).join(',')}`,
    );
    print(
      `  pending now: ${await pendingCount(redis, stream, 'workers')} — every event processed; 3 and 4 possibly twice (handlers must be idempotent).`,
    );
  } finally {
    await lesson.close();
  }
});

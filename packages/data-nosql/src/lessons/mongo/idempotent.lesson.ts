// `pnpm --filter @roadmap/data-nosql lesson:idempotent`
// One event delivered 5 times at once: a plain insert per delivery vs an upsert on a unique key.
import { runMain } from '@roadmap/kit';
import { redeliver } from './idempotent';
import { openLessonMongo, print } from './lesson-mongo';

runMain(async () => {
  const lesson = await openLessonMongo();
  try {
    const r = await redeliver(lesson.db, 5);
    print(`The same event delivered ${r.deliveries} times at once (at-least-once delivery):`);
    print(`  insertOne per delivery                      → ${r.naiveNotifications} notifications`);
    print(
      `  updateOne({ eventId }, $setOnInsert, upsert) → ${r.idempotentNotifications} notification`,
    );
    print('\nThe unique index on eventId makes the write itself idempotent: no transaction, no');
    print('"check then insert" race, and it works on a standalone server.');
  } finally {
    await lesson.close();
  }
});

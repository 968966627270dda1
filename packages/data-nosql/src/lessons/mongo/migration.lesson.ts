// `pnpm --filter @roadmap/data-nosql lesson:migration`
// Version-1 documents migrated lazily (on read) and in bulk (an update pipeline, in batches).
import { runMain } from '@roadmap/kit';
import { openLessonMongo, print } from './lesson-mongo';
import { runMigrationLesson } from './migration';

runMain(async () => {
  const lesson = await openLessonMongo();
  try {
    const r = await runMigrationLesson(lesson.db, 250, 100);
    print(
      `1. An old release wrote ${r.before.v1} articles at schemaVersion 1 (tags as one string).`,
    );
    print(`2. Reading one through the repository upgrades it on the way (lazy):`);
    print(
      `   tagList ${JSON.stringify(r.afterLazyRead.tagListRead)}; now v1 ${r.afterLazyRead.v1}, v2 ${r.afterLazyRead.v2}`,
    );
    print(
      `3. The bulk migration rewrote ${r.afterBulk.migrated} in ${r.afterBulk.batches} batches; now v1 ${r.afterBulk.v1}, v2 ${r.afterBulk.v2}.`,
    );
    print(
      `   ${JSON.stringify(r.sample.tags)} → ${JSON.stringify(r.sample.tagList)} (same rules as the lazy path)`,
    );
  } finally {
    await lesson.close();
  }
});

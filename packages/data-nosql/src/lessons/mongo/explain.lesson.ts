// `pnpm --filter @roadmap/data-nosql lesson:explain`
// The same query before and after an index: COLLSCAN → IXSCAN, documents examined.
import { runMain } from '@roadmap/kit';
import { seedMongo } from '../../seed/seed';
import { explainBeforeAfterIndex } from './explain';
import { openLessonMongo, print } from './lesson-mongo';

runMain(async () => {
  const lesson = await openLessonMongo();
  try {
    await seedMongo(lesson.db, { users: 200, articlesPerUser: 25 });
    const r = await explainBeforeAfterIndex(lesson.db, 'dragons');
    print(
      `find({ tagList: "dragons" }).sort({ createdAt: -1 }).limit(20) over ${r.documents} articles\n`,
    );
    print(
      `${''.padEnd(16)} ${'plan'.padEnd(28)} ${'docs examined'.padStart(14)} ${'keys examined'.padStart(14)} ${'returned'.padStart(9)}`,
    );
    for (const [label, s] of [
      ['without index', r.before],
      ['with index', r.after],
    ] as const) {
      print(
        `${label.padEnd(16)} ${s.stages.join(' → ').padEnd(28)} ${String(s.docsExamined).padStart(14)} ${String(s.keysExamined).padStart(14)} ${String(s.returned).padStart(9)}`,
      );
    }
    print('\nWithout the index every document is read and the matches sorted in memory (SORT);');
    print(
      'with { tagList: 1, createdAt: -1 } the index is already in the wanted order: 20 keys, 20 documents.',
    );
  } finally {
    await lesson.close();
  }
});

// `pnpm --filter @roadmap/data-nosql lesson:aggregation`
// Tag counts, top authors ($group + $lookup), a $lookup join, and $facet pagination with a total.
import { runMain } from '@roadmap/kit';
import { seedMongo } from '../../seed/seed';
import { newestWithAuthors, tagCounts, tagPageWithTotal, topAuthors } from './aggregation';
import { openLessonMongo, print } from './lesson-mongo';

runMain(async () => {
  const lesson = await openLessonMongo();
  try {
    const seeded = await seedMongo(lesson.db);
    print(
      `Seeded ${seeded.users} users, ${seeded.articles} articles, ${seeded.favorites} favorites.\n`,
    );
    print('1. Tag counts ($unwind → $group → $sort):');
    for (const t of await tagCounts(lesson.db, 5)) print(`   ${t.tag.padEnd(12)} ${t.articles}`);
    print('\n2. Top authors by favorites received ($group → $sort → $limit → $lookup users):');
    for (const a of await topAuthors(lesson.db, 5))
      print(
        `   ${a.username.padEnd(12)} ${String(a.favorites).padStart(4)} favorites on ${a.articles} articles`,
      );
    print('\n3. Newest articles with their author ($lookup with a sub-pipeline):');
    for (const a of await newestWithAuthors(lesson.db, 3))
      print(`   ${a.slug.padEnd(14)} by ${a.author.username}`);
    const page = await tagPageWithTotal(lesson.db, 'dragons', 5, 5);
    print(
      `\n4. $facet: page 2 (5 per page) of "dragons" and the total, in one command: total ${page.total}`,
    );
    print(`   ${page.items.map((i) => i.slug).join(', ')}`);
  } finally {
    await lesson.close();
  }
});

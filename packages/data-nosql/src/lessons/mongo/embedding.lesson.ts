// `pnpm --filter @roadmap/data-nosql lesson:embedding`
// One article with 200 comments, stored embedded and referenced: commands to read the page,
// document sizes, and what a profile rename costs.
import { runMain } from '@roadmap/kit';
import { compareEmbedding } from './embedding';
import { kb, openLessonMongo, print } from './lesson-mongo';

runMain(async () => {
  const lesson = await openLessonMongo();
  try {
    const r = await compareEmbedding(lesson.db, 200);
    print(`One article with ${r.comments} comments.\n`);
    print(`${''.padEnd(28)} ${'embedded'.padStart(12)} ${'referenced'.padStart(12)}`);
    print(
      `${'commands to read the page'.padEnd(28)} ${String(r.embedded.commandsToRead).padStart(12)} ${String(r.referenced.commandsToRead).padStart(12)}`,
    );
    print(
      `${'article document size'.padEnd(28)} ${kb(r.embedded.documentBytes).padStart(12)} ${kb(r.referenced.articleBytes).padStart(12)}`,
    );
    print(
      `${'largest comment document'.padEnd(28)} ${'—'.padStart(12)} ${kb(r.referenced.largestCommentBytes).padStart(12)}`,
    );
    print(
      `${'documents a rename touches'.padEnd(28)} ${String(r.embedded.documentsTouchedByRename).padStart(12)} ${String(r.referenced.documentsTouchedByRename).padStart(12)}`,
    );
    print(
      `\nEmbedded reads in one command, but the document grows with every comment: about ${r.embeddedCommentCeiling.toLocaleString('en')} such comments`,
    );
    print('reach the 16 MB document limit, every new comment rewrites it, and a renamed commenter');
    print(
      'must be updated in every article they ever commented on (here: one). Referenced costs a',
    );
    print('fixed 3 commands for any number of comments, and a rename touches one user document.');
  } finally {
    await lesson.close();
  }
});

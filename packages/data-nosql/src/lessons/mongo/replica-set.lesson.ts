// `pnpm --filter @roadmap/data-nosql lesson:replica-set`
// A multi-document transaction (rolled back, then committed) and a change stream — or, on a
// standalone server, why neither is available.
import { runMain } from '@roadmap/kit';
import { Types } from 'mongoose';
import { isReplicaSet } from '../../mongo/connection';
import { ARTICLE_SCHEMA_VERSION } from '../../mongo/schemas';
import { openLessonMongo, print } from './lesson-mongo';
import {
  deleteArticleAtomically,
  insertForWatch,
  NEEDS_REPLICA_SET,
  watchInserts,
} from './replica-set';

runMain(async () => {
  const lesson = await openLessonMongo();
  const { db } = lesson;
  try {
    if (!(await isReplicaSet(db))) {
      print(`This server is standalone. ${NEEDS_REPLICA_SET}`);
      return;
    }
    const tag = new Types.ObjectId().toHexString().slice(-6);
    const author = await db.User.create({ email: `rs-${tag}@example.com`, username: `rs-${tag}` });
    const article = await db.Article.create({
      slug: `rs-${tag}`,
      title: 'Atomic',
      description: 'd',
      body: 'b',
      author: author._id,
      schemaVersion: ARTICLE_SCHEMA_VERSION,
    });
    await db.Comment.insertMany(
      [1, 2, 3].map((n) => ({ article: article._id, author: author._id, body: `c${n}` })),
    );
    const count = async () => ({
      article: await db.Article.countDocuments({ _id: article._id }),
      comments: await db.Comment.countDocuments({ article: article._id }),
    });

    print('1. Transaction that fails between its two deletes:');
    await deleteArticleAtomically(db, article._id.toHexString(), true).catch((e: Error) =>
      print(`   failed: ${e.message}`),
    );
    print(`   left: ${JSON.stringify(await count())} (rolled back: nothing half-deleted)`);
    await deleteArticleAtomically(db, article._id.toHexString());
    print(`2. The same transaction, committed: ${JSON.stringify(await count())}`);

    const slugs = [`watched-${tag}-1`, `watched-${tag}-2`];
    const seen = await watchInserts(
      db,
      () => insertForWatch(db, author._id.toHexString(), slugs),
      slugs.length,
    );
    print(`3. A change stream saw the inserts as they committed: ${seen.join(', ')}`);
    await db.Article.deleteMany({ author: author._id });
    await db.User.deleteOne({ _id: author._id });
  } finally {
    await lesson.close();
  }
});

import { AppError, withTimeout } from '@roadmap/kit';
import { type MongoDb, isReplicaSet } from '../../mongo/connection';
import { ARTICLE_SCHEMA_VERSION } from '../../mongo/schemas';

/**
 * Multi-document transactions and change streams need a replica set: both are built on the
 * oplog, the replicated log of writes that a standalone server does not keep. docker compose
 * (and CI) therefore run MongoDB as a single-node replica set (`--replSet rs0`); on a
 * standalone server this lesson says so and does nothing else — nothing in this package needs
 * a transaction to be correct (see idempotent.ts and deleteArticle).
 */
export const NEEDS_REPLICA_SET =
  'Transactions and change streams need a replica set (they read the oplog). Start MongoDB as one: docker compose up -d mongo (it runs `--replSet rs0`), or mongod --replSet rs0 then rs.initiate() in mongosh.';

export async function requireReplicaSet(db: MongoDb): Promise<void> {
  if (!(await isReplicaSet(db)))
    throw new AppError({ code: 'needs_replica_set', status: 503, message: NEEDS_REPLICA_SET });
}

/**
 * Deletes an article and its comments in one transaction: a reader sees both or neither.
 * `withTransaction` retries the callback on transient errors (a write conflict, a failover).
 */
export async function deleteArticleAtomically(
  db: MongoDb,
  articleId: string,
  fail = false,
): Promise<void> {
  await requireReplicaSet(db);
  const session = await db.conn.startSession();
  try {
    await session.withTransaction(async () => {
      await db.Comment.deleteMany({ article: articleId }, { session });
      if (fail) throw new Error('simulated crash between the two deletes');
      await db.Article.deleteOne({ _id: articleId }, { session });
    });
  } finally {
    await session.endSession();
  }
}

/**
 * A change stream on the articles collection: every insert, as it is committed, pushed to the
 * watcher — the "tail the log" alternative to polling (resumable from a resume token after a
 * restart). Returns the slugs seen while `write` ran.
 */
export async function watchInserts(
  db: MongoDb,
  write: () => Promise<void>,
  expected: number,
  timeoutMs = 10_000,
): Promise<string[]> {
  await requireReplicaSet(db);
  const stream = db.Article.collection.watch<{ slug: string }>([
    { $match: { operationType: 'insert' } },
  ]);
  const seen: string[] = [];
  try {
    // The driver opens the stream lazily; tryNext sends the aggregate now, so the writes
    // below happen after the stream's start point and none is missed.
    await stream.tryNext();
    await write();
    while (seen.length < expected) {
      const change = await withTimeout(stream.next(), timeoutMs, 'no change event in time');
      if (change.operationType === 'insert') seen.push(change.fullDocument.slug);
    }
  } finally {
    await stream.close();
  }
  return seen;
}

export async function insertForWatch(
  db: MongoDb,
  authorId: string,
  slugs: string[],
): Promise<void> {
  for (const slug of slugs) {
    await db.Article.create({
      slug,
      title: slug,
      description: 'watched',
      body: 'watched',
      author: authorId,
      schemaVersion: ARTICLE_SCHEMA_VERSION,
    });
  }
}

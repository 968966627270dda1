import { describeWithMongo } from '@roadmap/kit/testing';
import { Types } from 'mongoose';
import { upgradeArticle } from '../src/articles/article-migration';
import {
  articlesByAuthor,
  newestWithAuthors,
  tagCounts,
  tagPageWithTotal,
  topAuthors,
} from '../src/lessons/mongo/aggregation';
import { compareEmbedding } from '../src/lessons/mongo/embedding';
import { explainBeforeAfterIndex } from '../src/lessons/mongo/explain';
import {
  deliverOnce,
  ensureNotificationIndex,
  NOTIFICATIONS_COLLECTION,
  redeliver,
} from '../src/lessons/mongo/idempotent';
import { runMigrationLesson } from '../src/lessons/mongo/migration';
import {
  deleteArticleAtomically,
  insertForWatch,
  NEEDS_REPLICA_SET,
  requireReplicaSet,
  watchInserts,
} from '../src/lessons/mongo/replica-set';
import { isReplicaSet } from '../src/mongo/connection';
import { seedMongo } from '../src/seed/seed';
import { mongoFixture, type MongoFixture } from './support/mongo';

describeWithMongo('data-nosql lessons (MongoDB)', () => {
  let fx: MongoFixture;
  beforeAll(async () => {
    fx = await mongoFixture('lessons');
    await seedMongo(fx.db, { users: 30, articlesPerUser: 10 });
  });
  afterAll(() => fx.drop());

  it('embedding vs referencing: one command vs three to read, a document that grows with comments, a rename that fans out', async () => {
    const r = await compareEmbedding(fx.db, 100);
    expect(r.embedded.commandsToRead).toBe(1);
    expect(r.referenced.commandsToRead).toBe(3);
    expect(r.embedded.documentBytes).toBeGreaterThan(
      r.referenced.articleBytes + 100 * r.referenced.largestCommentBytes * 0.5,
    );
    expect(r.embedded.documentsTouchedByRename).toBe(1);
    expect(r.embeddedCommentCeiling).toBeGreaterThan(10_000);
    expect(await fx.db.conn.collection('lesson_embedded_articles').countDocuments()).toBe(0); // cleaned up
  });

  it('aggregation: tag counts and top authors agree with counts made by hand in JavaScript', async () => {
    const articles = await fx.db.Article.find(
      {},
      { tagList: 1, author: 1, favoritesCount: 1 },
    ).lean();
    const byTag = new Map<string, number>();
    for (const a of articles) for (const t of a.tagList) byTag.set(t, (byTag.get(t) ?? 0) + 1);
    const expectedTags = [...byTag]
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, 5);
    expect((await tagCounts(fx.db, 5)).map((t) => [t.tag, t.articles])).toEqual(expectedTags);

    const favorites = new Map<string, number>();
    for (const a of articles)
      favorites.set(
        a.author.toHexString(),
        (favorites.get(a.author.toHexString()) ?? 0) + a.favoritesCount,
      );
    const top = await topAuthors(fx.db, 3);
    expect(top).toHaveLength(3);
    const best = Math.max(...favorites.values());
    expect(top[0]!.favorites).toBe(best);
    expect(top[0]!.articles).toBe(10);
    expect(top.map((a) => a.favorites)).toEqual(
      [...top.map((a) => a.favorites)].sort((x, y) => y - x),
    );
    expect((await articlesByAuthor(fx.db)).size).toBe(30);
  });

  it('aggregation: $lookup joins each article to its author, and $facet returns a page with the total', async () => {
    const newest = await newestWithAuthors(fx.db, 3);
    expect(newest).toHaveLength(3);
    expect(newest[0]!.author.username).toMatch(/^user\d+$/);
    const total = await fx.db.Article.countDocuments({ tagList: 'dragons' });
    const page = await tagPageWithTotal(fx.db, 'dragons', 5, 2);
    expect(page.total).toBe(total);
    expect(page.items).toHaveLength(Math.min(5, Math.max(0, total - 2)));
    const all = await tagPageWithTotal(fx.db, 'dragons', 100, 0);
    expect(page.items.map((i) => i.slug)).toEqual(all.items.slice(2, 7).map((i) => i.slug));
    expect(await tagPageWithTotal(fx.db, 'no-such-tag', 5, 0)).toEqual({ items: [], total: 0 });
  });

  it('explain: without the index a COLLSCAN examines every document; with it an IXSCAN examines only the page', async () => {
    const r = await explainBeforeAfterIndex(fx.db, 'dragons');
    expect(r.documents).toBe(300);
    expect(r.before.stages).toContain('COLLSCAN');
    expect(r.before.docsExamined).toBe(300);
    expect(r.after.stages).toContain('IXSCAN');
    expect(r.after.stages).not.toContain('COLLSCAN');
    expect(r.after.docsExamined).toBe(r.after.returned);
    expect(r.after.returned).toBe(r.before.returned);
  });

  it('idempotent writes: five simultaneous deliveries of one event make five plain inserts but one keyed notification', async () => {
    expect(await redeliver(fx.db, 5)).toEqual({
      deliveries: 5,
      naiveNotifications: 5,
      idempotentNotifications: 1,
    });
    await ensureNotificationIndex(fx.db);
    const event = { eventId: `evt-${new Types.ObjectId().toHexString()}`, userId: 'u', text: 't' };
    const created = await Promise.all(Array.from({ length: 8 }, () => deliverOnce(fx.db, event)));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(
      await fx.db.conn
        .collection(NOTIFICATIONS_COLLECTION)
        .countDocuments({ eventId: event.eventId }),
    ).toBe(1);
  });

  it('migration: a read upgrades one version-1 article lazily, the bulk run the rest, and both give what upgradeArticle gives', async () => {
    const r = await runMigrationLesson(fx.db, 45, 10);
    expect(r.before).toEqual({ v1: 45, v2: 0 });
    expect(r.afterLazyRead).toEqual({ v1: 44, v2: 1, tagListRead: ['dragons', 'training'] });
    expect(r.afterBulk).toEqual({ v1: 0, v2: 45, migrated: 44, batches: 5 });
    const expected = upgradeArticle({ schemaVersion: 1, tags: r.sample.tags } as never).tagList;
    expect(r.sample.tagList).toEqual(expected);
  });

  it('replica set: a failed transaction leaves nothing half-done, a committed one deletes both, a change stream sees inserts — or, standalone, a clear 503', async () => {
    if (!(await isReplicaSet(fx.db))) {
      await expect(requireReplicaSet(fx.db)).rejects.toMatchObject({
        status: 503,
        message: NEEDS_REPLICA_SET,
      });
      return;
    }
    const author = await fx.db.User.findOne({ username: 'user0' }).lean();
    const article = await fx.db.Article.findOne({ author: author!._id }).lean();
    await fx.db.Comment.insertMany(
      [1, 2].map((n) => ({ article: article!._id, author: author!._id, body: `tx ${n}` })),
    );
    const comments = () => fx.db.Comment.countDocuments({ article: article!._id });
    const before = await comments();
    await expect(deleteArticleAtomically(fx.db, article!._id.toHexString(), true)).rejects.toThrow(
      'simulated crash',
    );
    expect(await comments()).toBe(before);
    expect(await fx.db.Article.countDocuments({ _id: article!._id })).toBe(1);
    await deleteArticleAtomically(fx.db, article!._id.toHexString());
    expect(await comments()).toBe(0);
    expect(await fx.db.Article.countDocuments({ _id: article!._id })).toBe(0);

    const slugs = ['watched-1', 'watched-2', 'watched-3'];
    const seen = await watchInserts(
      fx.db,
      () => insertForWatch(fx.db, author!._id.toHexString(), slugs),
      3,
    );
    expect(seen).toEqual(slugs);
  });
});

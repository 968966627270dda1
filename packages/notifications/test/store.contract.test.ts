// One contract, two adapters: every behaviour the service relies on is checked against the
// PostgreSQL store here and against the MongoDB store wherever MONGO_URL is set.
import { randomUUID } from 'node:crypto';
import { describeWithMongo, requireServices } from '@roadmap/kit/testing';
import type { NewNotification, NotificationStore } from '../src';
import { createMongoStore, createPostgresStore, newId, type TestStore } from './support';

function notification(
  recipientId: number,
  overrides: Partial<NewNotification> = {},
): NewNotification {
  return {
    id: randomUUID(),
    recipientId,
    eventId: randomUUID(),
    kind: 'user.followed',
    actorId: newId(),
    actorUsername: 'alice',
    articleSlug: null,
    articleTitle: null,
    excerpt: null,
    createdAt: new Date(),
    ...overrides,
  };
}

function storeContract(open: () => Promise<TestStore<NotificationStore>>): void {
  let t: TestStore<NotificationStore>;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.drop();
  });

  test('when the same (event, recipient) is inserted twice, then only the first is stored and returned', async () => {
    const recipient = newId();
    const first = notification(recipient, {
      kind: 'comment.added',
      articleSlug: 'a-b',
      excerpt: 'hi',
    });
    const again = { ...first, id: randomUUID() }; // a redelivery gets a new id, same event
    const inserted = await t.store.insert([first]);
    expect(inserted).toEqual([{ ...first, readAt: null }]);
    expect(await t.store.insert([again])).toEqual([]);
    const page = await t.store.list(recipient, { limit: 10, offset: 0 });
    expect(page.notifications.map((n) => n.id)).toEqual([first.id]);
    expect(page.notifications[0]).toMatchObject({
      articleSlug: 'a-b',
      excerpt: 'hi',
      readAt: null,
    });
  });

  test('when one event concerns several recipients, then each gets one, and a partial redelivery adds only the missing', async () => {
    const eventId = randomUUID();
    const [a, b, c] = [newId(), newId(), newId()];
    await t.store.insert([notification(a, { eventId }), notification(b, { eventId })]);
    const second = await t.store.insert([
      notification(a, { eventId }),
      notification(b, { eventId }),
      notification(c, { eventId }),
    ]);
    expect(second.map((n) => n.recipientId)).toEqual([c]);
    for (const id of [a, b, c])
      expect((await t.store.list(id, { limit: 10, offset: 0 })).notifications).toHaveLength(1);
  });

  test('when listing, then pages are newest first, limited, offset, and only the caller’s', async () => {
    const recipient = newId();
    const base = Date.parse('2026-01-01T00:00:00Z');
    const rows = Array.from({ length: 5 }, (_, i) =>
      notification(recipient, { createdAt: new Date(base + i * 1_000), actorUsername: `u${i}` }),
    );
    await t.store.insert(rows);
    await t.store.insert([notification(newId())]); // someone else's
    const first = await t.store.list(recipient, { limit: 2, offset: 0 });
    const second = await t.store.list(recipient, { limit: 2, offset: 2 });
    expect(first.notifications.map((n) => n.actorUsername)).toEqual(['u4', 'u3']);
    expect(second.notifications.map((n) => n.actorUsername)).toEqual(['u2', 'u1']);
    expect(first.unreadCount).toBe(5);
    expect(first.notifications[0]!.createdAt).toEqual(new Date(base + 4_000));
  });

  test('when some are marked read, then the unread count drops; marking again or someone else’s changes nothing', async () => {
    const recipient = newId();
    const rows = [notification(recipient), notification(recipient), notification(recipient)];
    await t.store.insert(rows);
    expect(await t.store.markRead(recipient, [rows[0]!.id, rows[1]!.id])).toBe(2);
    expect(await t.store.markRead(recipient, [rows[0]!.id])).toBe(0);
    expect(await t.store.markRead(newId(), [rows[2]!.id])).toBe(0);
    expect(await t.store.unreadCount(recipient)).toBe(1);
    const page = await t.store.list(recipient, { limit: 10, offset: 0 });
    const read = page.notifications.filter((n) => n.readAt !== null).map((n) => n.id);
    expect(read.sort()).toEqual([rows[0]!.id, rows[1]!.id].sort());
    expect(await t.store.markRead(recipient, 'all')).toBe(1);
    expect(await t.store.unreadCount(recipient)).toBe(0);
  });

  test('when follows and unfollows arrive, then the projection keeps the newest change whatever the order', async () => {
    const author = newId();
    const [f1, f2, f3] = [newId(), newId(), newId()];
    const t0 = new Date('2026-02-01T00:00:00Z');
    const t1 = new Date('2026-02-01T00:00:01Z');
    await t.store.applyFollow({ followerId: f2, followeeId: author, following: true, at: t0 });
    await t.store.applyFollow({ followerId: f1, followeeId: author, following: true, at: t0 });
    await t.store.applyFollow({ followerId: f1, followeeId: author, following: true, at: t0 }); // redelivered
    // f3: the unfollow (newer) arrives before its follow (a retried message): stays unfollowed.
    await t.store.applyFollow({ followerId: f3, followeeId: author, following: false, at: t1 });
    await t.store.applyFollow({ followerId: f3, followeeId: author, following: true, at: t0 });
    expect(await t.store.followersOf(author)).toEqual([f1, f2].sort((x, y) => x - y));
    await t.store.applyFollow({ followerId: f2, followeeId: author, following: false, at: t1 });
    expect(await t.store.followersOf(author)).toEqual([f1]);
    expect(await t.store.followersOf(newId())).toEqual([]);
  });

  test('when pinged, then it answers', async () => {
    await expect(t.store.ping()).resolves.toBeUndefined();
  });
}

describe('PostgreSQL store (its own database)', () => {
  beforeAll(() => requireServices(['postgres']));
  storeContract(() => createPostgresStore('contract'));
});

describeWithMongo('MongoDB store', () => {
  storeContract(() => createMongoStore('contract'));
});

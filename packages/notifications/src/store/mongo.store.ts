import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { FollowChange, NewNotification, Notification, NotificationStore, Page } from './store';
import { NOTIFICATION_KINDS } from './store';

// Why mongoose directly (a thin adapter) rather than data-nosql's models: data-nosql holds the
// Conduit domain as documents; this service's two collections are its own, so it only needs a
// connection with timeouts, two schemas and their indexes.
interface NotificationDoc {
  _id: string;
  recipientId: number;
  eventId: string;
  kind: Notification['kind'];
  actorId: number;
  actorUsername: string;
  articleSlug: string | null;
  articleTitle: string | null;
  excerpt: string | null;
  createdAt: Date;
  readAt: Date | null;
}

interface FollowerDoc {
  followeeId: number;
  followerId: number;
  following: boolean;
  changedAt: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    recipientId: { type: Number, required: true },
    eventId: { type: String, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    actorId: { type: Number, required: true },
    actorUsername: { type: String, required: true },
    articleSlug: { type: String, default: null },
    articleTitle: { type: String, default: null },
    excerpt: { type: String, default: null },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { collection: 'notifications', versionKey: false, autoIndex: false },
);
// The idempotency key, as in PostgreSQL: a redelivered event cannot store a second copy.
notificationSchema.index({ eventId: 1, recipientId: 1 }, { unique: true });
notificationSchema.index({ recipientId: 1, createdAt: -1, _id: -1 });
notificationSchema.index(
  { recipientId: 1 },
  { name: 'unread', partialFilterExpression: { readAt: null } },
);

const followerSchema = new Schema<FollowerDoc>(
  {
    followeeId: { type: Number, required: true },
    followerId: { type: Number, required: true },
    following: { type: Boolean, required: true },
    changedAt: { type: Date, required: true },
  },
  { collection: 'followers', versionKey: false, autoIndex: false },
);
followerSchema.index({ followeeId: 1, followerId: 1 }, { unique: true });

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

const toNotification = (doc: NotificationDoc): Notification => ({
  id: doc._id,
  recipientId: doc.recipientId,
  eventId: doc.eventId,
  kind: doc.kind,
  actorId: doc.actorId,
  actorUsername: doc.actorUsername,
  articleSlug: doc.articleSlug ?? null,
  articleTitle: doc.articleTitle ?? null,
  excerpt: doc.excerpt ?? null,
  createdAt: doc.createdAt,
  readAt: doc.readAt ?? null,
});

/** The MongoDB adapter: the default wherever MONGO_URL is set (compose, GitHub Actions). */
export class MongoNotificationStore implements NotificationStore {
  private constructor(
    private readonly connection: Connection,
    private readonly notifications: Model<NotificationDoc>,
    private readonly followers: Model<FollowerDoc>,
  ) {}

  static async connect(url: string, timeoutMs = 5_000): Promise<MongoNotificationStore> {
    const connection = mongoose.createConnection(url, {
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      // A query the server never answers fails instead of hanging a request.
      socketTimeoutMS: timeoutMs * 4,
      maxPoolSize: 10,
    });
    await connection.asPromise();
    const store = new MongoNotificationStore(
      connection,
      connection.model('Notification', notificationSchema),
      connection.model('Follower', followerSchema),
    );
    await Promise.all([store.notifications.createIndexes(), store.followers.createIndexes()]);
    return store;
  }

  async insert(notifications: NewNotification[]): Promise<Notification[]> {
    if (notifications.length === 0) return [];
    // Upsert on the unique key with $setOnInsert: an existing (event, recipient) is left as it
    // is, and upsertedIds tells which ones this call created.
    const write = () =>
      this.notifications.bulkWrite(
        notifications.map(({ id, ...rest }) => ({
          updateOne: {
            filter: { eventId: rest.eventId, recipientId: rest.recipientId },
            update: { $setOnInsert: { _id: id, ...rest, readAt: null } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    let result;
    try {
      result = await write();
    } catch (err) {
      // Two consumers upserting the same key at once: one gets E11000. Run again: the
      // document now exists, so the retry matches it and inserts nothing.
      if (!isDuplicateKey(err)) throw err;
      result = await write();
    }
    const created = new Set(Object.keys(result.upsertedIds).map(Number));
    return notifications
      .filter((_, index) => created.has(index))
      .map((notification) => ({ ...notification, readAt: null }));
  }

  async list(recipientId: number, page: { limit: number; offset: number }): Promise<Page> {
    const [docs, unreadCount] = await Promise.all([
      this.notifications
        .find({ recipientId })
        .sort({ createdAt: -1, _id: -1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<NotificationDoc[]>(),
      this.unreadCount(recipientId),
    ]);
    return { notifications: docs.map(toNotification), unreadCount };
  }

  unreadCount(recipientId: number): Promise<number> {
    return this.notifications.countDocuments({ recipientId, readAt: null }).exec();
  }

  async markRead(recipientId: number, ids: string[] | 'all'): Promise<number> {
    const filter =
      ids === 'all'
        ? { recipientId, readAt: null }
        : { recipientId, readAt: null, _id: { $in: ids } };
    const result = await this.notifications.updateMany(filter, { $set: { readAt: new Date() } });
    return result.modifiedCount;
  }

  async applyFollow(change: FollowChange): Promise<void> {
    try {
      await this.followers.updateOne(
        {
          followeeId: change.followeeId,
          followerId: change.followerId,
          changedAt: { $lte: change.at },
        },
        { $set: { following: change.following, changedAt: change.at } },
        { upsert: true },
      );
    } catch (err) {
      // The pair exists with a newer change: the filter missed it and the upsert hit the
      // unique index. The newer change wins, so there is nothing to do.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async followersOf(userId: number): Promise<number[]> {
    const docs = await this.followers
      .find({ followeeId: userId, following: true }, { followerId: 1, _id: 0 })
      .sort({ followerId: 1 })
      .lean<Array<Pick<FollowerDoc, 'followerId'>>>();
    return docs.map((doc) => doc.followerId);
  }

  async ping(): Promise<void> {
    await this.connection.db?.admin().ping();
  }

  /** Tests: drop this store's database (each test file has its own). */
  async dropDatabase(): Promise<void> {
    await this.connection.dropDatabase();
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

import { type MongoDb } from '../../mongo/connection';

/**
 * Idempotent writes with a unique key instead of a transaction.
 *
 * A message broker delivers at least once: after a crash or a lost ack, the same event comes
 * again. A consumer that inserts a notification per delivery then notifies twice. Wrapping
 * "have I seen it? then insert" in a transaction needs a replica set and still races unless
 * isolated; a unique index on the event id does it in one atomic write: an upsert keyed on
 * the event id inserts the first time and matches (changing nothing) every later time — even
 * when two deliveries arrive at the same moment, the index lets only one insert through.
 * The notifications service uses this pattern.
 */
export interface DeliveryReport {
  deliveries: number;
  naiveNotifications: number;
  idempotentNotifications: number;
}

export const NOTIFICATIONS_COLLECTION = 'lesson_notifications';

export async function ensureNotificationIndex(db: MongoDb): Promise<void> {
  await db.conn
    .collection(NOTIFICATIONS_COLLECTION)
    .createIndex({ eventId: 1 }, { unique: true, name: 'notifications_event_key' });
}

/** Applies one delivery of an event: true if this call created the notification. */
export async function deliverOnce(
  db: MongoDb,
  event: { eventId: string; userId: string; text: string },
): Promise<boolean> {
  try {
    const result = await db.conn.collection(NOTIFICATIONS_COLLECTION).updateOne(
      { eventId: event.eventId },
      {
        $setOnInsert: {
          eventId: event.eventId,
          userId: event.userId,
          text: event.text,
          createdAt: new Date(),
        },
      },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  } catch (error) {
    // Two simultaneous first deliveries: both missed, both inserted, the index refused one.
    if ((error as { code?: unknown }).code === 11000) return false;
    throw error;
  }
}

export async function redeliver(db: MongoDb, deliveries = 5): Promise<DeliveryReport> {
  const naive = db.conn.collection('lesson_notifications_naive');
  const keyed = db.conn.collection(NOTIFICATIONS_COLLECTION);
  await Promise.all([naive.deleteMany({}), keyed.deleteMany({})]);
  await ensureNotificationIndex(db);
  const event = {
    eventId: 'evt-article-favorited-42',
    userId: 'u1',
    text: 'ada favorited your article',
  };
  // The same event delivered `deliveries` times, all at once (a redelivery storm).
  await Promise.all(
    Array.from({ length: deliveries }, () => naive.insertOne({ ...event, createdAt: new Date() })),
  );
  await Promise.all(Array.from({ length: deliveries }, () => deliverOnce(db, event)));
  const report = {
    deliveries,
    naiveNotifications: await naive.countDocuments({ eventId: event.eventId }),
    idempotentNotifications: await keyed.countDocuments({ eventId: event.eventId }),
  };
  await Promise.all([naive.drop(), keyed.drop()]);
  return report;
}

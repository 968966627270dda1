import { storeKind, type NotificationsConfig } from './config';
import { MongoNotificationStore } from './store/mongo.store';
import { migrateNotifications, PostgresNotificationStore } from './store/postgres.store';
import type { NotificationStore } from './store/store';

/** Opens the store the configuration selects (migrating PostgreSQL first), for main and bench. */
export async function openStore(
  config: Pick<
    NotificationsConfig,
    'NOTIFICATIONS_STORE' | 'MONGO_URL' | 'NOTIFICATIONS_DATABASE_URL'
  >,
): Promise<{ store: NotificationStore; description: string }> {
  if (storeKind(config) === 'mongo') {
    if (!config.MONGO_URL) throw new Error('NOTIFICATIONS_STORE=mongo needs MONGO_URL');
    return {
      store: await MongoNotificationStore.connect(config.MONGO_URL),
      description: 'MongoDB (MONGO_URL)',
    };
  }
  await migrateNotifications(config.NOTIFICATIONS_DATABASE_URL);
  return {
    store: PostgresNotificationStore.connect(config.NOTIFICATIONS_DATABASE_URL),
    description: `PostgreSQL ${new URL(config.NOTIFICATIONS_DATABASE_URL).pathname.slice(1)}`,
  };
}

// @roadmap/notifications: a service with its own database, fed by Conduit's events.
export { buildApp, type AppDeps, type NotificationsApp } from './app';
export {
  loadNotificationsConfig,
  notificationsEnvShape,
  storeKind,
  DEFAULT_NOTIFICATIONS_DATABASE_URL,
  type NotificationsConfig,
} from './config';
export { createNotificationsConsumer, NOTIFICATION_BINDINGS } from './consumer';
export { JwksVerifier, type Caller, type JwksVerifierOptions } from './jwks';
export { createNotificationsService, type NotificationsService } from './notifications.service';
export { RealtimeHub } from './realtime';
export { openStore } from './stores';
export { MongoNotificationStore } from './store/mongo.store';
export { PostgresNotificationStore, migrateNotifications } from './store/postgres.store';
export type { Notification, NewNotification, NotificationStore, Page } from './store/store';

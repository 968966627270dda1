// `pnpm --filter @roadmap/notifications db:migrate`: creates the notifications database if
// missing and applies this service's migrations (main.ts does the same at start-up).
import { loadDotEnv, loadConfig } from '@roadmap/kit';
import { notificationsEnvShape } from './config';
import { migrateNotifications } from './store/postgres.store';

loadDotEnv();
const config = loadConfig({
  NOTIFICATIONS_DATABASE_URL: notificationsEnvShape.NOTIFICATIONS_DATABASE_URL,
});
migrateNotifications(config.NOTIFICATIONS_DATABASE_URL, (line) => console.log(line)).then(
  (applied) => console.log(`applied ${applied.length} migration(s)`),
  (err: unknown) => {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

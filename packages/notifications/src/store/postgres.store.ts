import path from 'node:path';
import type pg from 'pg';
import { createPool, ensureDatabase, migrate, query } from '@roadmap/data-sql';
import type {
  FollowChange,
  NewNotification,
  Notification,
  NotificationKind,
  NotificationStore,
  Page,
} from './store';

/** This service's migrations: run by data-sql's runner, recorded in a table of their own. */
export const NOTIFICATIONS_MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
export const NOTIFICATIONS_MIGRATIONS_TABLE = 'notifications_migrations';

/** Creates the database if missing and applies this service's migrations. */
export async function migrateNotifications(url: string, log?: (line: string) => void) {
  await ensureDatabase(url);
  return migrate(url, {
    dir: NOTIFICATIONS_MIGRATIONS_DIR,
    migrationsTable: NOTIFICATIONS_MIGRATIONS_TABLE,
    log,
  });
}

interface Row {
  id: string;
  recipient_id: number;
  event_id: string;
  kind: NotificationKind;
  actor_id: number;
  actor_username: string;
  article_slug: string | null;
  article_title: string | null;
  excerpt: string | null;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (row: Row): Notification => ({
  id: row.id,
  recipientId: row.recipient_id,
  eventId: row.event_id,
  kind: row.kind,
  actorId: row.actor_id,
  actorUsername: row.actor_username,
  articleSlug: row.article_slug,
  articleTitle: row.article_title,
  excerpt: row.excerpt,
  createdAt: row.created_at,
  readAt: row.read_at,
});

/** The PostgreSQL adapter: the embedded default, so the service runs wherever PostgreSQL does. */
export class PostgresNotificationStore implements NotificationStore {
  constructor(private readonly pool: pg.Pool) {}

  static connect(url: string): PostgresNotificationStore {
    return new PostgresNotificationStore(
      createPool(url, { max: 10, applicationName: 'notifications' }),
    );
  }

  async insert(notifications: NewNotification[]): Promise<Notification[]> {
    if (notifications.length === 0) return [];
    const column = <K extends keyof NewNotification>(key: K) => notifications.map((n) => n[key]);
    // One statement for a whole fan-out; ON CONFLICT on (event_id, recipient_id) is the
    // idempotency: RETURNING lists only the rows this call really inserted.
    const { rows } = await query<Row>(
      this.pool,
      `INSERT INTO notifications (id, recipient_id, event_id, kind, actor_id, actor_username,
                                  article_slug, article_title, excerpt, created_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::text[],
                            $7::text[], $8::text[], $9::text[], $10::timestamptz[])
       ON CONFLICT (event_id, recipient_id) DO NOTHING
       RETURNING *`,
      [
        column('id'),
        column('recipientId'),
        column('eventId'),
        column('kind'),
        column('actorId'),
        column('actorUsername'),
        column('articleSlug'),
        column('articleTitle'),
        column('excerpt'),
        column('createdAt'),
      ],
    );
    return rows.map(toNotification);
  }

  async list(recipientId: number, page: { limit: number; offset: number }): Promise<Page> {
    const [items, unreadCount] = await Promise.all([
      query<Row>(
        this.pool,
        `SELECT * FROM notifications WHERE recipient_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [recipientId, page.limit, page.offset],
      ),
      this.unreadCount(recipientId),
    ]);
    return { notifications: items.rows.map(toNotification), unreadCount };
  }

  async unreadCount(recipientId: number): Promise<number> {
    const { rows } = await query<{ count: number }>(
      this.pool,
      `SELECT count(*)::int AS count FROM notifications
       WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId],
    );
    return rows[0]!.count;
  }

  async markRead(recipientId: number, ids: string[] | 'all'): Promise<number> {
    const result =
      ids === 'all'
        ? await query(
            this.pool,
            `UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL`,
            [recipientId],
          )
        : await query(
            this.pool,
            `UPDATE notifications SET read_at = now()
             WHERE recipient_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL`,
            [recipientId, ids],
          );
    return result.rowCount ?? 0;
  }

  async applyFollow(change: FollowChange): Promise<void> {
    // Last writer wins by event time: an older change arriving late (a retried message) loses.
    await query(
      this.pool,
      `INSERT INTO followers (followee_id, follower_id, following, changed_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (followee_id, follower_id) DO UPDATE
         SET following = EXCLUDED.following, changed_at = EXCLUDED.changed_at
         WHERE followers.changed_at <= EXCLUDED.changed_at`,
      [change.followeeId, change.followerId, change.following, change.at],
    );
  }

  async followersOf(userId: number): Promise<number[]> {
    const { rows } = await query<{ follower_id: number }>(
      this.pool,
      `SELECT follower_id FROM followers WHERE followee_id = $1 AND following ORDER BY follower_id`,
      [userId],
    );
    return rows.map((row) => row.follower_id);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@roadmap/events';
import { logger as defaultLogger, withSpan, type Logger } from '@roadmap/kit';
import type { RealtimeHub } from './realtime';
import type { NewNotification, Notification, NotificationStore, Page } from './store/store';

export interface NotificationsServiceDeps {
  store: NotificationStore;
  realtime: Pick<RealtimeHub, 'publish'>;
  logger?: Logger;
}

/** Fan-out rows per INSERT: an author with many followers is written in bounded statements. */
const FAN_OUT_CHUNK = 1_000;

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/**
 * The use cases. The consumer calls `handle`, the HTTP routes call `list` and `markRead`;
 * neither knows which database is behind the store.
 */
export function createNotificationsService({ store, realtime, logger }: NotificationsServiceDeps) {
  const log = logger ?? defaultLogger;

  /** What one event means for whom. Pure apart from reading the follower projection. */
  async function notificationsFor(event: DomainEvent): Promise<NewNotification[]> {
    const base = { eventId: event.id, createdAt: new Date(event.occurredAt) };
    switch (event.type) {
      case 'user.followed':
        return [
          {
            ...base,
            id: randomUUID(),
            recipientId: event.data.followeeId,
            kind: 'user.followed',
            actorId: event.data.followerId,
            actorUsername: event.data.followerUsername,
            articleSlug: null,
            articleTitle: null,
            excerpt: null,
          },
        ];
      case 'comment.added':
        // Nobody is told about their own comment.
        if (event.data.authorId === event.data.articleAuthorId) return [];
        return [
          {
            ...base,
            id: randomUUID(),
            recipientId: event.data.articleAuthorId,
            kind: 'comment.added',
            actorId: event.data.authorId,
            actorUsername: event.data.authorUsername,
            articleSlug: event.data.articleSlug,
            articleTitle: null,
            excerpt: event.data.excerpt,
          },
        ];
      case 'article.favorited':
        if (event.data.userId === event.data.articleAuthorId) return [];
        return [
          {
            ...base,
            id: randomUUID(),
            recipientId: event.data.articleAuthorId,
            kind: 'article.favorited',
            actorId: event.data.userId,
            actorUsername: event.data.username,
            articleSlug: event.data.articleSlug,
            articleTitle: null,
            excerpt: null,
          },
        ];
      case 'article.published': {
        // Followers as this service knows them, from follow events alone (never Conduit's table).
        const followers = await store.followersOf(event.data.authorId);
        return followers
          .filter((id) => id !== event.data.authorId)
          .map((recipientId) => ({
            ...base,
            id: randomUUID(),
            recipientId,
            kind: 'article.published' as const,
            actorId: event.data.authorId,
            actorUsername: event.data.authorUsername,
            articleSlug: event.data.slug,
            articleTitle: event.data.title,
            excerpt: null,
          }));
      }
      case 'user.unfollowed':
      case 'article.updated':
      case 'article.deleted':
        return [];
    }
  }

  return {
    /**
     * Applies one event. Idempotent: run twice with the same event, the second run stores
     * nothing and pushes nothing (the store skips (event id, recipient) pairs it has).
     */
    async handle(event: DomainEvent): Promise<Notification[]> {
      // Spans of their own, whatever the store is: the trace shows the write to MongoDB or
      // PostgreSQL (and the driver's spans beneath it when the SDK instruments it).
      const created = await withSpan(
        'notifications store',
        { attributes: { 'messaging.message.type': event.type } },
        async (span) => {
          if (event.type === 'user.followed' || event.type === 'user.unfollowed') {
            await store.applyFollow({
              followerId: event.data.followerId,
              followeeId: event.data.followeeId,
              following: event.type === 'user.followed',
              at: new Date(event.occurredAt),
            });
          }
          const wanted = await notificationsFor(event);
          const stored: Notification[] = [];
          for (let i = 0; i < wanted.length; i += FAN_OUT_CHUNK) {
            stored.push(...(await store.insert(wanted.slice(i, i + FAN_OUT_CHUNK))));
          }
          span.setAttribute('notifications.created', stored.length);
          return stored;
        },
      );
      // Pushed only when newly stored, so a redelivery never shows a notification twice. A
      // failed push is logged, not retried: the notification is safe in the database and the
      // list endpoint shows it; the stream is a live view, not the record.
      const pushes = await Promise.allSettled(created.map((n) => realtime.publish(n)));
      for (const push of pushes) {
        if (push.status === 'rejected') log.warn({ err: push.reason as unknown }, 'push failed');
      }
      return created;
    },

    list(recipientId: number, page: { limit: number; offset: number }): Promise<Page> {
      return store.list(recipientId, page);
    },

    async markRead(
      recipientId: number,
      ids: string[] | 'all',
    ): Promise<{ marked: number; unreadCount: number }> {
      const marked = await store.markRead(recipientId, ids);
      return { marked, unreadCount: await store.unreadCount(recipientId) };
    },
  };
}

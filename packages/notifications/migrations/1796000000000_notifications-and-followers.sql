-- The notifications service's own schema, in its own database: nothing here refers to a
-- Conduit table (users are ids and names copied from events, not foreign keys).

-- Up Migration
CREATE TABLE notifications (
  id             uuid PRIMARY KEY,
  recipient_id   integer NOT NULL,
  -- The event that caused the notification. Why unique with the recipient: at-least-once
  -- delivery hands us the same event again after a crash; the second insert is then a no-op.
  event_id       uuid NOT NULL,
  kind           text NOT NULL
                 CHECK (kind IN ('user.followed', 'comment.added', 'article.favorited', 'article.published')),
  actor_id       integer NOT NULL,
  actor_username text NOT NULL,
  article_slug   text,
  article_title  text,
  excerpt        text,
  created_at     timestamptz NOT NULL,
  read_at        timestamptz,
  CONSTRAINT notifications_event_recipient_key UNIQUE (event_id, recipient_id)
);

-- The page query: one recipient, newest first.
CREATE INDEX notifications_recipient_created_idx
  ON notifications (recipient_id, created_at DESC, id DESC);
-- The unread count reads only this small partial index.
CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;

-- The follower projection. A row is kept after an unfollow (following = false) so that a
-- follow event arriving late (after a retry) cannot resurrect it: the newer `changed_at` wins.
CREATE TABLE followers (
  followee_id integer NOT NULL,
  follower_id integer NOT NULL,
  following   boolean NOT NULL,
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (followee_id, follower_id)
);

-- Down Migration
DROP TABLE followers;
DROP TABLE notifications;

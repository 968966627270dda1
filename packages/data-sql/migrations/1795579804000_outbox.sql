-- Why this migration: the transactional outbox. A service that changes data and must also
-- publish an event writes the event into this table *in the same transaction* as the change;
-- a relay later publishes unpublished rows to the broker and stamps published_at. So an event
-- is published if and only if its change committed -- no dual write to the database and the
-- broker that can half-fail.

-- Up Migration
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  aggregate    text NOT NULL CHECK (char_length(aggregate) BETWEEN 1 AND 64),
  type         text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 128),
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
-- The relay polls "oldest unpublished first"; a partial index stays tiny once rows are published.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;

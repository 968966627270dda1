-- Why this migration: the outbox row becomes a complete event envelope, and the relay learns
-- about new rows without polling.
--  * event_id: the id consumers deduplicate by. It is fixed when the row is written, so a relay
--    that publishes the same row twice (it crashed before marking it) sends the same id twice.
--  * version: the version of the payload's schema, so consumers can reject what they do not know.
--  * traceparent: the W3C trace context of the request that caused the event.
--  * The statement trigger NOTIFYs channel outbox_inserted; PostgreSQL delivers a NOTIFY only when
--    the transaction commits, so a relay never wakes for a row it cannot yet see.

-- Up Migration
ALTER TABLE outbox
  ADD COLUMN event_id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  ADD COLUMN traceparent text CHECK (traceparent IS NULL OR char_length(traceparent) = 55);
CREATE UNIQUE INDEX outbox_event_id_key ON outbox (event_id);

CREATE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_inserted', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify
AFTER INSERT ON outbox
FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Down Migration
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
DROP INDEX outbox_event_id_key;
ALTER TABLE outbox DROP COLUMN traceparent, DROP COLUMN version, DROP COLUMN event_id;

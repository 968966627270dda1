-- Why this migration: articles.favorites_count is a cached count(*) of favorites, stored so the
-- article list never aggregates the (largest) favorites table. A cached value is only worth
-- having if it is always right, so the database keeps it right: every insert or delete on
-- favorites adjusts the count in the same transaction. `SET favorites_count = favorites_count + 1`
-- takes the article's row lock, so concurrent favorites queue up instead of losing updates
-- (a read-modify-write in application code would lose them). No code path can forget it.

-- Up Migration
CREATE FUNCTION favorites_count_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE articles SET favorites_count = favorites_count + 1 WHERE id = NEW.article_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE articles SET favorites_count = favorites_count - 1 WHERE id = OLD.article_id;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER favorites_count_sync
AFTER INSERT OR DELETE ON favorites
FOR EACH ROW EXECUTE FUNCTION favorites_count_sync();

-- Down Migration
DROP TRIGGER favorites_count_sync ON favorites;
DROP FUNCTION favorites_count_sync();

-- Why this migration: access tokens (JWTs) are checked by signature, so one issued before a
-- password change, a role change or a "log out everywhere" would otherwise stay valid until
-- it expires. Each token carries the user's generation at signing time; raising the number
-- refuses every token issued before, at the cost of one lookup (cached in Redis) per request.

-- Up Migration
ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0
  CHECK (token_generation >= 0);

-- Down Migration
ALTER TABLE users DROP COLUMN token_generation;

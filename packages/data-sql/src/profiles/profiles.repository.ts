import { query, type Db } from '../db/pool';

/** A user as others see them; `following` is relative to the viewer (false when anonymous). */
export interface Profile {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export interface ProfileRow {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    username: row.username,
    bio: row.bio,
    image: row.image,
    following: row.following,
  };
}

/** Case-insensitive on username. viewerId null → following is false. */
export async function findProfile(
  db: Db,
  username: string,
  viewerId: number | null,
): Promise<Profile | null> {
  const { rows } = await query<ProfileRow>(
    db,
    `SELECT u.id, u.username, u.bio, u.image,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
       FROM users u
      WHERE lower(u.username) = lower($1)`,
    [username, viewerId],
  );
  return rows[0] ? toProfile(rows[0]) : null;
}

/**
 * Idempotent: following twice is not an error (ON CONFLICT DO NOTHING), which also makes two
 * concurrent clicks safe. Returns the followed profile, or null when no such user exists.
 * Following yourself is refused by a CHECK constraint → 422 naming `username`.
 */
export async function followUser(
  db: Db,
  followerId: number,
  username: string,
): Promise<(Profile & { changed: boolean }) | null> {
  // changed: this call created the follow (an event is worth raising), not a repeat.
  const { rowCount } = await query(
    db,
    `INSERT INTO follows (follower_id, followee_id)
     SELECT $1, id FROM users WHERE lower(username) = lower($2)
     ON CONFLICT DO NOTHING`,
    [followerId, username],
  );
  const profile = await findProfile(db, username, followerId);
  return profile && { ...profile, changed: (rowCount ?? 0) > 0 };
}

/** Idempotent too; returns the profile (following: false) or null when no such user exists. */
export async function unfollowUser(
  db: Db,
  followerId: number,
  username: string,
): Promise<(Profile & { changed: boolean }) | null> {
  const { rowCount } = await query(
    db,
    `DELETE FROM follows
      WHERE follower_id = $1
        AND followee_id = (SELECT id FROM users WHERE lower(username) = lower($2))`,
    [followerId, username],
  );
  const profile = await findProfile(db, username, followerId);
  return profile && { ...profile, changed: (rowCount ?? 0) > 0 };
}

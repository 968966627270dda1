import { AppError } from '@roadmap/kit';
import { trusted, type Types } from 'mongoose';
import { type MongoDb } from '../mongo/connection';
import { mapErrors } from '../mongo/errors';
import { parseObjectId } from '../mongo/ids';
import { CASE_INSENSITIVE, type UserDoc } from '../mongo/schemas';

export interface Profile {
  id: string;
  username: string;
  bio: string | null;
  image: string | null;
  /** Whether the viewer follows this user; false when anonymous. */
  following: boolean;
}

type ProfileFields = Pick<UserDoc, '_id' | 'username' | 'bio' | 'image'>;
export const PROFILE_PROJECTION = { username: 1, bio: 1, image: 1 } as const;

export function toProfile(doc: ProfileFields, following: boolean): Profile {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    bio: doc.bio ?? null,
    image: doc.image ?? null,
    following,
  };
}

/**
 * Profiles of several users with the viewer's "following" flags: two queries whatever the
 * number of users (users by `$in`, follows by `$in`) — the document version of avoiding N+1.
 */
export async function profilesByIds(
  db: MongoDb,
  ids: Types.ObjectId[],
  viewerId: Types.ObjectId | null,
): Promise<Map<string, Profile>> {
  const [users, follows] = await Promise.all([
    db.User.find({ _id: trusted({ $in: ids }) }, PROFILE_PROJECTION).lean<ProfileFields[]>(),
    viewerId
      ? db.Follow.find(
          { follower: viewerId, followee: trusted({ $in: ids }) },
          { followee: 1 },
        ).lean<{ followee: Types.ObjectId }[]>()
      : Promise.resolve([]),
  ]);
  const followed = new Set(follows.map((f) => f.followee.toHexString()));
  return new Map(
    users.map((u) => [u._id.toHexString(), toProfile(u, followed.has(u._id.toHexString()))]),
  );
}

export async function findProfile(
  db: MongoDb,
  username: string,
  viewerId: string | null,
): Promise<Profile | null> {
  return mapErrors(async () => {
    const user = await db.User.findOne({ username }, PROFILE_PROJECTION)
      .collation(CASE_INSENSITIVE)
      .lean<ProfileFields>();
    if (!user) return null;
    const viewer = viewerId ? parseObjectId(viewerId) : null;
    const following = viewer
      ? (await db.Follow.exists({ follower: viewer, followee: user._id })) !== null
      : false;
    return toProfile(user, following);
  });
}

/**
 * Idempotent: following twice leaves one follow document (the unique pair index), and the
 * upsert makes the second call a no-op instead of a 409. 404 when either user is missing;
 * 422 when following yourself.
 */
export async function followUser(
  db: MongoDb,
  followerId: string,
  username: string,
): Promise<Profile> {
  const follower = parseObjectId(followerId);
  if (!follower) throw AppError.notFound('user');
  return mapErrors(async () => {
    const [me, target] = await Promise.all([
      db.User.exists({ _id: follower }),
      db.User.findOne({ username }, PROFILE_PROJECTION)
        .collation(CASE_INSENSITIVE)
        .lean<ProfileFields>(),
    ]);
    if (!me) throw AppError.notFound('user');
    if (!target) throw AppError.notFound('profile');
    if (target._id.equals(follower))
      throw AppError.validation({ username: ['cannot follow yourself'] });
    await upsertIgnoringRace(() =>
      db.Follow.updateOne(
        { follower, followee: target._id },
        { $setOnInsert: { follower, followee: target._id } },
        { upsert: true },
      ),
    );
    return toProfile(target, true);
  });
}

export async function unfollowUser(
  db: MongoDb,
  followerId: string,
  username: string,
): Promise<Profile> {
  const follower = parseObjectId(followerId);
  if (!follower) throw AppError.notFound('user');
  return mapErrors(async () => {
    const target = await db.User.findOne({ username }, PROFILE_PROJECTION)
      .collation(CASE_INSENSITIVE)
      .lean<ProfileFields>();
    if (!target) throw AppError.notFound('profile');
    await db.Follow.deleteOne({ follower, followee: target._id });
    return toProfile(target, false);
  });
}

/**
 * Two concurrent upserts of the same key can both miss the document and both insert; the
 * unique index lets one through and fails the other with E11000. The outcome wanted — one
 * document exists — holds either way, so a duplicate here means "already done".
 * (MongoDB retries such upserts itself when the filter is an equality on the unique key, but
 * not in every version and shape; handling it here keeps the guarantee explicit.)
 */
export async function upsertIgnoringRace<T>(write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code === 11000) return null;
    throw error;
  }
}

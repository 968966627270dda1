import { AppError } from '@roadmap/kit';
import { assertCan, type Actor } from '@roadmap/auth';
import {
  findProfile,
  findUserById,
  followUser,
  inTransaction,
  unfollowUser,
} from '@roadmap/data-sql';
import { viewerId, type ConduitDeps } from './deps';
import { recordEvent } from './events';
import { toProfile } from './mappers';
import type { Profile } from './views';

export function createProfilesService(deps: Pick<ConduitDeps, 'db'>) {
  const { db } = deps;

  /** GET /profiles/:username — `following` is relative to the viewer (false when anonymous). */
  async function get(actor: Actor, username: string): Promise<Profile> {
    const profile = await findProfile(db, username, viewerId(actor));
    if (!profile) throw AppError.notFound('profile');
    return toProfile(profile);
  }

  /** POST /profiles/:username/follow — idempotent: following twice is still 200. */
  async function follow(actor: Actor, username: string): Promise<Profile> {
    assertCan(actor, 'profile:follow');
    const profile = await inTransaction(db, async (client) => {
      const followed = await followUser(client, actor.userId, username);
      if (!followed) throw AppError.notFound('profile');
      if (followed.changed) {
        const follower = await findUserById(client, actor.userId);
        await recordEvent(client, 'user.followed', {
          followerId: actor.userId,
          followerUsername: follower?.username ?? 'unknown',
          followeeId: followed.id,
        });
      }
      return followed;
    });
    return toProfile(profile);
  }

  /**
   * DELETE /profiles/:username/follow — idempotent too. Unfollowing yourself is the same 422 as
   * following yourself (the database's follows_not_self check): one rule, both directions.
   */
  async function unfollow(actor: Actor, username: string): Promise<Profile> {
    assertCan(actor, 'profile:follow');
    const profile = await inTransaction(db, async (client) => {
      const unfollowed = await unfollowUser(client, actor.userId, username);
      if (!unfollowed) throw AppError.notFound('profile');
      if (unfollowed.id === actor.userId)
        throw AppError.validation({ username: ['cannot follow yourself'] });
      if (unfollowed.changed) {
        await recordEvent(client, 'user.unfollowed', {
          followerId: actor.userId,
          followeeId: unfollowed.id,
        });
      }
      return unfollowed;
    });
    return toProfile(profile);
  }

  return { get, follow, unfollow };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

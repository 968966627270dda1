import { AppError } from '@roadmap/kit';
import { assertCan, type Actor } from '@roadmap/auth';
import { findProfile, followUser, unfollowUser } from '@roadmap/data-sql';
import { viewerId, type ConduitDeps } from './deps';
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
    const profile = await followUser(db, actor.userId, username);
    if (!profile) throw AppError.notFound('profile');
    return toProfile(profile);
  }

  /**
   * DELETE /profiles/:username/follow — idempotent too. Unfollowing yourself is the same 422 as
   * following yourself (the database's follows_not_self check): one rule, both directions.
   */
  async function unfollow(actor: Actor, username: string): Promise<Profile> {
    assertCan(actor, 'profile:follow');
    const profile = await unfollowUser(db, actor.userId, username);
    if (!profile) throw AppError.notFound('profile');
    if (profile.id === actor.userId)
      throw AppError.validation({ username: ['cannot follow yourself'] });
    return toProfile(profile);
  }

  return { get, follow, unfollow };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

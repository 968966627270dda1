import type pg from 'pg';
import { AppError } from '@roadmap/kit';
import {
  countUsersWithRole,
  findUserById,
  findUserByUsername,
  listUsers,
  setUserRole,
  withTransaction,
  type Db,
  type User,
} from '@roadmap/data-sql';
import { assertCan, can, type Actor, type Permission, type Role } from './policy';

export function createAdminService(deps: { pool: pg.Pool }) {
  const { pool } = deps;

  /**
   * The actor's permission checked against the role stored *now*, not the one in their token.
   * Why: an access token carries the role it was issued with (for up to
   * CONDUIT_TOKEN_TTL_SECONDS), so an admin demoted a minute ago would otherwise keep managing
   * users — and could still demote the admin who demoted them. One primary-key read is cheap
   * next to what these endpoints can do.
   */
  async function assertLiveCan(db: Db, actor: Actor, permission: Permission): Promise<void> {
    assertCan(actor, permission);
    const current = await findUserById(db, actor.userId);
    if (!current || !can({ userId: current.id, role: current.role }, permission))
      throw AppError.forbidden(permission.split(':')[0]);
  }

  async function list(
    actor: Actor,
    page: { limit: number; offset: number },
  ): Promise<{ users: User[]; usersCount: number }> {
    await assertLiveCan(pool, actor, 'user:list');
    return listUsers(pool, page);
  }

  /**
   * Changes a user's role. The last admin cannot be demoted (not even by themself), or nobody
   * could ever manage roles again. Sessions read the role on every request; a refresh re-reads
   * it too, so the change reaches token holders within one access-token lifetime (and these
   * admin endpoints at once: they re-read the actor's role).
   */
  async function setRole(actor: Actor, username: string, role: Role): Promise<User> {
    assertCan(actor, 'user:set-role');
    return withTransaction(pool, async (client) => {
      // Why a lock: two admins demoting each other at the same moment would each see "2 admins
      // left" and both succeed. Serializing role changes makes the count true when it is read,
      // and makes the actor's role read below the one that the previous change left behind.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('auth:set-role'))");

      await assertLiveCan(client, actor, 'user:set-role');
      const target = await findUserByUsername(client, username);
      if (!target) throw AppError.notFound('user');
      if (target.role === role) return target;
      if (target.role === 'admin' && (await countUsersWithRole(client, 'admin')) <= 1) {
        throw new AppError({
          code: 'last_admin',
          status: 409,
          message: 'cannot remove the last admin',
          field: 'role',
        });
      }
      const updated = await setUserRole(client, target.id, role);
      if (!updated) throw AppError.notFound('user');
      return updated;
    });
  }

  return { list, setRole };
}

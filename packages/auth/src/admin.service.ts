import type pg from 'pg';
import { AppError } from '@roadmap/kit';
import {
  countUsersWithRole,
  findUserByUsername,
  listUsers,
  setUserRole,
  withTransaction,
  type User,
} from '@roadmap/data-sql';
import { assertCan, type Actor, type Role } from './policy';

export function createAdminService(deps: { pool: pg.Pool }) {
  const { pool } = deps;

  async function list(
    actor: Actor,
    page: { limit: number; offset: number },
  ): Promise<{ users: User[]; usersCount: number }> {
    assertCan(actor, 'user:list');
    return listUsers(pool, page);
  }

  /**
   * Changes a user's role. The last admin cannot be demoted (not even by themself), or nobody
   * could ever manage roles again. Sessions read the role on every request; a refresh re-reads
   * it too, so the change reaches token holders within one access-token lifetime.
   */
  async function setRole(actor: Actor, username: string, role: Role): Promise<User> {
    assertCan(actor, 'user:set-role');
    return withTransaction(pool, async (client) => {
      // Why a lock: two admins demoting each other at the same moment would each see "2 admins
      // left" and both succeed. Serializing role changes makes the count true when it is read.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('auth:set-role'))");
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

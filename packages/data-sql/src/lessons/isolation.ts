import { AppError } from '@roadmap/kit';
import type pg from 'pg';
import { query } from '../db/pool';
import { withTransaction, type IsolationLevel } from '../db/transaction';

/**
 * A real race the isolation level decides: "demote an admin unless they are the last one".
 * Two admins demoting each other at the same moment each read "2 admins", each demote the
 * other, and the system has 0 admins. No row is written twice, so row locks do not help: it is
 * *write skew*, and only SERIALIZABLE detects it (one transaction fails with 40001 and, retried,
 * now sees 1 admin and refuses).
 *
 * `afterCheck` lets the lesson and the test hold both transactions between the read and the
 * write, so the race happens every time instead of once in a thousand runs.
 */
export async function demoteAdminUnlessLast(
  pool: pg.Pool,
  userId: number,
  isolationLevel: IsolationLevel,
  afterCheck: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  await withTransaction(
    pool,
    async (client) => {
      const { rows } = await query<{ n: number }>(
        client,
        "SELECT count(*)::int AS n FROM users WHERE role = 'admin'",
      );
      if ((rows[0]?.n ?? 0) <= 1) throw AppError.conflict('role', 'cannot demote the last admin');
      await afterCheck();
      await query(
        client,
        "UPDATE users SET role = 'user', updated_at = now() WHERE id = $1 AND role = 'admin'",
        [userId],
      );
    },
    { isolationLevel, retries: isolationLevel === 'SERIALIZABLE' ? 3 : 0 },
  );
}

/** A promise gate for n parties: each call waits until all n have arrived. */
export function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= n) open();
    await gate;
  };
}

import type { Db } from '@roadmap/data-sql';

/** (provider, subject) → our user. The subject is the provider's stable id, never the email. */
export interface OAuthIdentity {
  provider: string;
  subject: string;
  userId: number;
  email: string | null;
}

export async function findIdentity(
  db: Db,
  provider: string,
  subject: string,
): Promise<OAuthIdentity | null> {
  const { rows } = await db.query<{
    provider: string;
    subject: string;
    user_id: number;
    email: string | null;
  }>(
    'SELECT provider, subject, user_id, email FROM oauth_identities WHERE provider = $1 AND subject = $2',
    [provider, subject],
  );
  const row = rows[0];
  return row
    ? { provider: row.provider, subject: row.subject, userId: row.user_id, email: row.email }
    : null;
}

export async function insertIdentity(db: Db, identity: OAuthIdentity): Promise<void> {
  await db.query(
    'INSERT INTO oauth_identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4)',
    [identity.provider, identity.subject, identity.userId, identity.email],
  );
}

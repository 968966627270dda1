import type pg from 'pg';
import { AppError } from '@roadmap/kit';
import {
  findUserByEmail,
  findUserByOAuthIdentity,
  findUserByUsername,
  insertUser,
  linkOAuthIdentity,
  withTransaction,
  type User,
} from '@roadmap/data-sql';

/** What we keep from a provider's userinfo answer (OIDC claims or GitHub's /user). */
export interface ExternalProfile {
  provider: string;
  /** The provider's stable user id: OIDC `sub`, GitHub `id`. */
  subject: string;
  email: string | null;
  /** A username suggestion: OIDC `preferred_username`, GitHub `login`. */
  username: string | null;
}

/** Maps a userinfo JSON body to an ExternalProfile; null when it has no usable subject. */
export function profileFromUserinfo(provider: string, body: unknown): ExternalProfile | null {
  if (typeof body !== 'object' || body === null) return null;
  const data = body as Record<string, unknown>;
  const subject =
    typeof data.sub === 'string'
      ? data.sub
      : typeof data.id === 'number' || typeof data.id === 'string'
        ? String(data.id)
        : null;
  if (!subject) return null;
  // Why drop an unverified email: anyone can type any address at some providers; keeping it
  // would let a stranger reserve the real owner's email here.
  const email =
    typeof data.email === 'string' && data.email.includes('@') && data.email_verified !== false
      ? data.email
      : null;
  const usernameClaim = [data.preferred_username, data.login, data.nickname, data.name].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return { provider, subject, email, username: usernameClaim ?? null };
}

export function createOAuthService(deps: { pool: pg.Pool }) {
  const { pool } = deps;

  /**
   * The callback's use case: the user linked to (provider, subject), or a new user linked to
   * it. An existing *local* account with the same email is not linked automatically: taking
   * over an account because some provider says "same email" is a known attack.
   */
  async function findOrCreateUser(profile: ExternalProfile): Promise<User> {
    return withTransaction(pool, async (client) => {
      const linked = await findUserByOAuthIdentity(client, profile.provider, profile.subject);
      if (linked) return linked;
      const email = profile.email ?? `${profile.provider}-${profile.subject}@users.noreply.invalid`;
      if (await findUserByEmail(client, email)) {
        throw new AppError({
          code: 'oauth_email_taken',
          status: 409,
          message: 'is already registered: sign in with your password first',
          field: 'email',
        });
      }
      const user = await insertUser(client, {
        email,
        username: await freeUsername(client, profile),
        passwordHash: null,
      });
      await linkOAuthIdentity(client, {
        provider: profile.provider,
        subject: profile.subject,
        userId: user.id,
        email: profile.email,
      });
      return user;
    });
  }

  return { findOrCreateUser };
}

async function freeUsername(db: pg.PoolClient, profile: ExternalProfile): Promise<string> {
  const base =
    (profile.username ?? `${profile.provider}-user`).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) ||
    `${profile.provider}-user`;
  if (!(await findUserByUsername(db, base))) return base;
  for (let n = 2; n < 1000; n++) {
    if (!(await findUserByUsername(db, `${base}-${n}`))) return `${base}-${n}`;
  }
  return `${base}-${profile.subject}`.slice(0, 64);
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { logger } from '@roadmap/kit';
import {
  createRefreshTokenFamily,
  findRefreshTokenForUpdate,
  findUserById,
  insertRefreshToken,
  markRefreshTokenUsed,
  revokeRefreshTokenFamily,
  withTransaction,
  type Db,
  type User,
} from '@roadmap/data-sql';
import { invalidToken, type TokenSigner } from './tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** Only this hash is stored: a leaked table holds no usable token. */
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function createTokenService(deps: { pool: pg.Pool; signer: TokenSigner }) {
  const { pool, signer } = deps;

  function pair(
    user: Pick<User, 'id' | 'role' | 'tokenGeneration'>,
    refreshToken: string,
  ): TokenPair {
    const access = signer.signAccess(user);
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: Math.round((access.claims.expiresAt.getTime() - Date.now()) / 1000),
    };
  }

  async function mintRefresh(db: Db, user: Pick<User, 'id'>, familyId: string): Promise<string> {
    const { token, claims } = signer.signRefresh(user, familyId);
    await insertRefreshToken(db, {
      id: claims.tokenId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: claims.expiresAt,
    });
    return token;
  }

  /** A fresh login: a new family with its first refresh token, plus an access token. */
  async function issueTokens(
    user: Pick<User, 'id' | 'role' | 'tokenGeneration'>,
  ): Promise<TokenPair> {
    const refreshToken = await withTransaction(pool, async (client) =>
      mintRefresh(client, user, await createRefreshTokenFamily(client, user.id)),
    );
    return pair(user, refreshToken);
  }

  /**
   * Rotation with reuse detection: the presented token is exchanged for a new one exactly
   * once. Presenting it again means two parties hold it (one of them a thief), so the whole
   * family — every token of that login — is revoked.
   */
  async function refresh(refreshToken: string): Promise<TokenPair & { user: User }> {
    const claims = signer.verifyRefresh(refreshToken);
    const outcome = await withTransaction(pool, async (client) => {
      const stored = await findRefreshTokenForUpdate(client, claims.tokenId);
      if (
        !stored ||
        stored.tokenHash !== sha256(refreshToken) ||
        stored.familyId !== claims.familyId
      )
        return { kind: 'unknown' as const };
      if (stored.familyRevokedAt) return { kind: 'revoked' as const };
      if (stored.usedAt) {
        await revokeRefreshTokenFamily(client, stored.familyId, 'reuse');
        // Commit the revocation, then refuse: throwing here would roll it back.
        return { kind: 'reused' as const };
      }
      if (stored.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
      const user = await findUserById(client, stored.userId);
      if (!user) return { kind: 'unknown' as const };
      const next = signer.signRefresh(user, stored.familyId);
      await insertRefreshToken(client, {
        id: next.claims.tokenId,
        familyId: stored.familyId,
        tokenHash: sha256(next.token),
        expiresAt: next.claims.expiresAt,
      });
      await markRefreshTokenUsed(client, stored.id, next.claims.tokenId);
      return { kind: 'rotated' as const, user, refreshToken: next.token };
    });
    if (outcome.kind === 'reused') {
      // A security event, not a client mistake: someone else holds (or held) this token.
      logger.warn(
        { familyId: claims.familyId, userId: claims.userId },
        'refresh token reuse detected: family revoked',
      );
    }
    if (outcome.kind !== 'rotated') throw invalidToken(`refresh token ${outcome.kind}`);
    return { ...pair(outcome.user, outcome.refreshToken), user: outcome.user };
  }

  /** Ends the login the refresh token belongs to; access tokens already out expire on their own. */
  async function logout(refreshToken: string): Promise<void> {
    const claims = signer.verifyRefresh(refreshToken);
    await revokeRefreshTokenFamily(pool, claims.familyId, 'logout');
  }

  return { issueTokens, refresh, logout };
}

import {
  claimOutboxBatch,
  createRefreshTokenFamily,
  findRefreshTokenByHash,
  findRefreshTokenForUpdate,
  findUserByOAuthIdentity,
  insertOutboxEvent,
  insertRefreshToken,
  linkOAuthIdentity,
  markOutboxPublished,
  markRefreshTokenUsed,
  revokeRefreshTokenFamily,
  revokeUserRefreshTokenFamilies,
  withTransaction,
} from '../src';
import { useMigratedDatabase, makeUser, rejection, unique } from './support/database';

const db = useMigratedDatabase('identities');

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('OAuth identities', () => {
  test('when an identity is linked, then the user is found by (provider, subject)', async () => {
    const jake = await makeUser(db.pool);
    const subject = unique('gh');
    const identity = await linkOAuthIdentity(db.pool, {
      provider: 'github',
      subject,
      userId: jake.id,
      email: jake.email,
    });
    expect(identity).toMatchObject({
      provider: 'github',
      subject,
      userId: jake.id,
      email: jake.email,
    });
    expect(await findUserByOAuthIdentity(db.pool, 'github', subject)).toEqual(jake);
    expect(await findUserByOAuthIdentity(db.pool, 'google', subject)).toBeNull();
  });

  test('when the same identity is linked twice, then a 409 names identity', async () => {
    const [jake, jane] = [await makeUser(db.pool), await makeUser(db.pool)];
    const subject = unique('gh');
    await linkOAuthIdentity(db.pool, { provider: 'github', subject, userId: jake.id });
    const error = await rejection(
      linkOAuthIdentity(db.pool, { provider: 'github', subject, userId: jane.id }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ identity: ['has already been taken'] });
  });
});

describe('refresh tokens', () => {
  test('when a token is stored, then it is found by hash with its user and family state', async () => {
    const jake = await makeUser(db.pool);
    const familyId = await createRefreshTokenFamily(db.pool, jake.id);
    const hash = unique('hash');
    const token = await insertRefreshToken(db.pool, {
      familyId,
      tokenHash: hash,
      expiresAt: inAnHour(),
    });
    expect(await findRefreshTokenByHash(db.pool, hash)).toEqual(token);
    expect(token).toMatchObject({ familyId, userId: jake.id, usedAt: null, familyRevokedAt: null });
    expect(await findRefreshTokenByHash(db.pool, 'unknown')).toBeNull();
  });

  test('when a token is stored under its own id, then a locking read by that id sees it and blocks a second reader', async () => {
    const jake = await makeUser(db.pool);
    const familyId = await createRefreshTokenFamily(db.pool, jake.id);
    const id = '0b3c7f0e-5a43-4d8e-9d4c-2f0a1c6b9e11';
    const token = await insertRefreshToken(db.pool, {
      id,
      familyId,
      tokenHash: unique('h'),
      expiresAt: inAnHour(),
    });
    expect(token.id).toBe(id);
    const first = await db.pool.connect();
    const order: string[] = [];
    try {
      await first.query('BEGIN');
      expect(await findRefreshTokenForUpdate(first, id)).toEqual(token);
      // A second transaction asking for the same row must wait until the first one ends, and
      // then see what the first one committed.
      const second = withTransaction(db.pool, async (other) => {
        const seen = await findRefreshTokenForUpdate(other, id);
        order.push('second read');
        return seen;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('first commits');
      await markRefreshTokenUsed(first, id);
      await first.query('COMMIT');
      expect((await second)!.usedAt).toBeInstanceOf(Date);
    } finally {
      first.release();
    }
    expect(order).toEqual(['first commits', 'second read']);
    expect(
      await findRefreshTokenForUpdate(db.pool, '0b3c7f0e-5a43-4d8e-9d4c-2f0a1c6b9e12'),
    ).toBeNull();
  });

  test('when the same token is used twice concurrently, then exactly one use wins', async () => {
    const jake = await makeUser(db.pool);
    const familyId = await createRefreshTokenFamily(db.pool, jake.id);
    const token = await insertRefreshToken(db.pool, {
      familyId,
      tokenHash: unique('h'),
      expiresAt: inAnHour(),
    });
    const next = await insertRefreshToken(db.pool, {
      familyId,
      tokenHash: unique('h'),
      expiresAt: inAnHour(),
    });
    const results = await Promise.all([
      markRefreshTokenUsed(db.pool, token.id, next.id),
      markRefreshTokenUsed(db.pool, token.id),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await findRefreshTokenByHash(db.pool, token.tokenHash))!.usedAt).toBeInstanceOf(Date);
  });

  test('when a family is revoked, then its tokens say so; revoking again or all families counts correctly', async () => {
    const jake = await makeUser(db.pool);
    const [f1, f2] = [
      await createRefreshTokenFamily(db.pool, jake.id),
      await createRefreshTokenFamily(db.pool, jake.id),
    ];
    const token = await insertRefreshToken(db.pool, {
      familyId: f1,
      tokenHash: unique('h'),
      expiresAt: inAnHour(),
    });
    expect(await revokeRefreshTokenFamily(db.pool, f1, 'reuse')).toBe(true);
    expect(await revokeRefreshTokenFamily(db.pool, f1, 'reuse')).toBe(false);
    expect(
      (await findRefreshTokenByHash(db.pool, token.tokenHash))!.familyRevokedAt,
    ).toBeInstanceOf(Date);
    expect(await revokeUserRefreshTokenFamilies(db.pool, jake.id, 'logout-all')).toBe(1);
    const { rows } = await db.pool.query(
      'SELECT id, revoked_reason FROM refresh_token_families WHERE id = $1',
      [f2],
    );
    expect(rows).toEqual([{ id: f2, revoked_reason: 'logout-all' }]);
  });

  test('when the hash is reused or the family is missing, then 409 token / 404 tokenFamily', async () => {
    const jake = await makeUser(db.pool);
    const familyId = await createRefreshTokenFamily(db.pool, jake.id);
    const tokenHash = unique('h');
    await insertRefreshToken(db.pool, { familyId, tokenHash, expiresAt: inAnHour() });
    const dup = await rejection(
      insertRefreshToken(db.pool, { familyId, tokenHash, expiresAt: inAnHour() }),
    );
    expect(dup.details).toEqual({ token: ['has already been taken'] });
    const missing = await rejection(
      insertRefreshToken(db.pool, {
        familyId: '00000000-0000-0000-0000-000000000000',
        tokenHash: unique('h'),
        expiresAt: inAnHour(),
      }),
    );
    expect(missing.status).toBe(404);
    expect(missing.details).toEqual({ tokenFamily: ['not found'] });
  });
});

describe('outbox', () => {
  test('when events are written, claimed and marked, then a second claim skips them', async () => {
    const aggregate = unique('agg');
    const event = await insertOutboxEvent(db.pool, {
      aggregate,
      type: 'ArticleCreated',
      payload: { slug: 'x', n: 1 },
    });
    expect(event).toMatchObject({
      aggregate,
      type: 'ArticleCreated',
      payload: { slug: 'x', n: 1 },
      publishedAt: null,
    });
    await withTransaction(db.pool, async (client) => {
      const batch = await claimOutboxBatch(client, 1000);
      expect(batch.map((e) => e.id)).toContain(event.id);
      expect(
        await markOutboxPublished(
          client,
          batch.map((e) => e.id),
        ),
      ).toBe(batch.length);
    });
    const again = await claimOutboxBatch(db.pool, 1000);
    expect(again.map((e) => e.id)).not.toContain(event.id);
  });

  test('when an event is written in a transaction that rolls back, then it does not exist', async () => {
    const aggregate = unique('agg');
    await expect(
      withTransaction(db.pool, async (client) => {
        await insertOutboxEvent(client, { aggregate, type: 'X', payload: {} });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const { rowCount } = await db.pool.query('SELECT 1 FROM outbox WHERE aggregate = $1', [
      aggregate,
    ]);
    expect(rowCount).toBe(0);
  });

  test('when an event is written with a version and a traceparent, then the row carries them and a fresh event id', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const first = await insertOutboxEvent(db.pool, {
      aggregate: unique('agg'),
      type: 'comment.added',
      payload: { n: 1 },
      version: 2,
      traceparent,
    });
    const second = await insertOutboxEvent(db.pool, {
      aggregate: unique('agg'),
      type: 'comment.added',
      payload: { n: 2 },
    });
    expect(first).toMatchObject({ version: 2, traceparent });
    expect(second).toMatchObject({ version: 1, traceparent: null });
    expect(first.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.eventId).not.toBe(first.eventId);
  });

  test('when one relay holds an aggregate, then a concurrent claim skips every row of that aggregate, later ones included', async () => {
    await db.pool.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
    const x = unique('agg-x');
    const y = unique('agg-y');
    const x1 = await insertOutboxEvent(db.pool, { aggregate: x, type: 'T', payload: {} });
    const x2 = await insertOutboxEvent(db.pool, { aggregate: x, type: 'T', payload: {} });
    const y1 = await insertOutboxEvent(db.pool, { aggregate: y, type: 'T', payload: {} });
    await withTransaction(db.pool, async (first) => {
      expect((await claimOutboxBatch(first, 1)).map((e) => e.id)).toEqual([x1.id]);
      await withTransaction(db.pool, async (second) => {
        // x2 is not locked as a row, but publishing it now would overtake x1: skipped.
        expect((await claimOutboxBatch(second, 10)).map((e) => e.id)).toEqual([y1.id]);
      });
    });
    const after = await withTransaction(db.pool, (client) => claimOutboxBatch(client, 10));
    expect(after.map((e) => e.id)).toEqual([x1.id, x2.id, y1.id]);
  });
});

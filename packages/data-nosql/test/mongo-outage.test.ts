import { createBlackholeProxy, describeWithMongo, mongoUrl } from '@roadmap/kit/testing';
import { randomBytes } from 'node:crypto';
import { closeMongo, connectMongo } from '../src/mongo/connection';
import { findUserByEmail, insertUser } from '../src/users/users.repository';

// A lost database must become a 503, not a request that hangs. The network is made silent by a
// proxy this test controls (no packets answered, no connection reset) — the shared server
// itself is never stopped.
describeWithMongo('data-nosql when MongoDB goes silent', () => {
  it('when the network stops answering mid-session, then the next query fails as a 503 within the configured timeouts', async () => {
    const proxy = await createBlackholeProxy(mongoUrl()!, 27017);
    const url = new URL(proxy.url);
    // directConnection: talk only to the proxy, never to the members a replica set announces.
    url.searchParams.set('directConnection', 'true');
    url.searchParams.set('retryReads', 'false');
    const name = `test_datanosql_outage_${randomBytes(4).toString('hex')}`;
    const db = await connectMongo(url.toString(), {
      dbName: name,
      serverSelectionTimeoutMS: 1_000,
      socketTimeoutMS: 1_000,
    });
    try {
      await insertUser(db, { email: 'ada@example.com', username: 'ada' });
      expect(await findUserByEmail(db, 'ada@example.com')).toMatchObject({ username: 'ada' });

      proxy.swallow();
      await expect(findUserByEmail(db, 'ada@example.com')).rejects.toMatchObject({
        status: 503,
        code: 'db_unavailable',
      });
    } finally {
      await proxy.close();
      await closeMongo(db).catch(() => undefined);
      // Drop the database over a direct connection (the proxied one is dead).
      const direct = await connectMongo(mongoUrl()!, { dbName: name });
      await direct.conn.dropDatabase();
      await closeMongo(direct);
    }
  });
});

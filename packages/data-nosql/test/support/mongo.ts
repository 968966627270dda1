import { randomBytes } from 'node:crypto';
import { mongoUrl } from '@roadmap/kit/testing';
import {
  closeMongo,
  connectMongo,
  ensureSchema,
  type MongoDb,
  type MongoLimits,
} from '../../src/mongo/connection';

export interface MongoFixture {
  db: MongoDb;
  name: string;
  /** Drops this file's database and closes the connection. Call in afterAll. */
  drop: () => Promise<void>;
}

/**
 * This test file's own database, `test_datanosql_<label>_<random>`, on the server MONGO_URL
 * names, with the validators and indexes in place. Only called inside describeWithMongo, so
 * MONGO_URL is set. Refuses any name that does not say it is for tests.
 */
export async function mongoFixture(
  label: string,
  limits: Partial<MongoLimits> = {},
): Promise<MongoFixture> {
  const name = `test_datanosql_${label}_${randomBytes(4).toString('hex')}`;
  if (!/^test_/.test(name))
    throw new Error(`refusing to use database ${name}: not a test database`);
  const db = await connectMongo(mongoUrl()!, { dbName: name, monitorCommands: true, limits });
  await ensureSchema(db);
  return {
    db,
    name,
    drop: async () => {
      if (db.conn.name.startsWith('test_')) await db.conn.dropDatabase();
      await closeMongo(db);
    },
  };
}

import { probeService, StartupError, unreachableMessage } from '@roadmap/kit';
import { loadDataNosqlConfig, mongoLimits } from '../../config';
import { closeMongo, connectMongo, ensureSchema, type MongoDb } from '../../mongo/connection';

/**
 * Lessons run in their own database, `conduit_lessons` on the server MONGO_URL points at, so
 * dropping indexes and reseeding never touches the app's data. No server: one line saying how
 * to start one, exit code 1.
 */
export async function openLessonMongo(): Promise<{ db: MongoDb; close: () => Promise<void> }> {
  const config = loadDataNosqlConfig();
  let db: MongoDb;
  try {
    db = await connectMongo(config.MONGO_URL, {
      dbName: 'conduit_lessons',
      serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
      socketTimeoutMS: config.MONGO_SOCKET_TIMEOUT_MS,
      limits: mongoLimits(config),
      monitorCommands: true,
    });
  } catch {
    throw new StartupError(unreachableMessage(await probeService('mongo', config.MONGO_URL)));
  }
  await ensureSchema(db);
  return { db, close: () => closeMongo(db) };
}

export const print = (text = '') => process.stdout.write(`${text}\n`);
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// `pnpm --filter @roadmap/data-nosql start`: connect to MONGO_URL, create the collections with
// their validators and indexes (idempotent), and print what is there. No server: one line.
import { probeService, runMain, StartupError, unreachableMessage } from '@roadmap/kit';
import { loadDataNosqlConfig, mongoLimits } from './config';
import { closeMongo, connectMongo, ensureSchema, isReplicaSet } from './mongo/connection';

runMain(async () => {
  const config = loadDataNosqlConfig();
  const db = await connectMongo(config.MONGO_URL, {
    serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    socketTimeoutMS: config.MONGO_SOCKET_TIMEOUT_MS,
    limits: mongoLimits(config),
  }).catch(async () => {
    throw new StartupError(unreachableMessage(await probeService('mongo', config.MONGO_URL)));
  });
  try {
    await ensureSchema(db);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    print(
      `MongoDB database "${db.conn.name}" (${(await isReplicaSet(db)) ? 'replica set' : 'standalone'}): validators and indexes in place.`,
    );
    for (const model of [db.User, db.Article, db.Comment, db.Favorite, db.Follow]) {
      const indexes = await model.collection.indexes();
      print(
        `  ${model.collection.collectionName.padEnd(10)} ${String(await model.estimatedDocumentCount()).padStart(8)} documents  indexes: ${indexes.map((i) => i.name).join(', ')}`,
      );
    }
  } finally {
    await closeMongo(db);
  }
});

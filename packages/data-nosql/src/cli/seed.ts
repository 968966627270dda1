// `pnpm --filter @roadmap/data-nosql db:seed [--users N]`: replace the data in MONGO_URL's
// database with the deterministic demo set.
import { probeService, runMain, StartupError, unreachableMessage } from '@roadmap/kit';
import { loadDataNosqlConfig, mongoLimits } from '../config';
import { closeMongo, connectMongo, ensureSchema } from '../mongo/connection';
import { seedMongo } from '../seed/seed';

function usersFlag(argv = process.argv): number {
  const i = argv.indexOf('--users');
  if (i < 0) return 50;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 2 || value > 100_000)
    throw new StartupError(
      `--users must be a whole number from 2 to 100000 (got "${argv[i + 1] ?? ''}").`,
    );
  return value;
}

runMain(async () => {
  const config = loadDataNosqlConfig();
  if (config.NODE_ENV === 'production')
    throw new StartupError('db:seed replaces all data; refusing in production.');
  const users = usersFlag();
  const db = await connectMongo(config.MONGO_URL, {
    serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    socketTimeoutMS: config.MONGO_SOCKET_TIMEOUT_MS,
    limits: mongoLimits(config),
  }).catch(async () => {
    throw new StartupError(unreachableMessage(await probeService('mongo', config.MONGO_URL)));
  });
  try {
    await ensureSchema(db);
    const result = await seedMongo(db, { users });
    const { ms, ...counts } = result;
    for (const [name, value] of Object.entries(counts))
      process.stdout.write(`${name.padEnd(10)} ${String(value)}\n`);
    process.stdout.write(`in ${ms.toFixed(0)} ms\n`);
  } finally {
    await closeMongo(db);
  }
});

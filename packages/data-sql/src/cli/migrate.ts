// `pnpm db:migrate` (up, all pending) and `pnpm db:rollback` (down, one; `--count N` for more).
import { runMain } from '@roadmap/kit';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';
import { numberFlag } from './args';

runMain(async () => {
  const config = loadDataSqlConfig();
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  // Why validated: node-pg-migrate reads a NaN count as "all", so a typo must not get that far.
  const count = process.argv.includes('--count')
    ? numberFlag('count', 1, { integer: true })
    : undefined;
  const url = config.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (direction === 'up') await ensureDatabase(url);
  const ran = await migrate(url, { direction, count, log: () => undefined });
  const verb = direction === 'up' ? 'applied' : 'rolled back';
  process.stdout.write(
    ran.length === 0
      ? `nothing to do (${direction})\n`
      : ran.map((m) => `${verb} ${m.name}\n`).join(''),
  );
});

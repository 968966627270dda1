// `pnpm db:migrate` (up, all pending) and `pnpm db:rollback` (down, one; `--count N` for more).
import { runMain } from '@roadmap/kit';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';

runMain(async () => {
  const config = loadDataSqlConfig();
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  const countFlag = process.argv.indexOf('--count');
  const count = countFlag > 0 ? Number(process.argv[countFlag + 1]) : undefined;
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

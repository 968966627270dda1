import { execFile } from 'node:child_process';
import path from 'node:path';
import { registerUser, startApi, type TestApi } from './helpers';

// `pnpm db:seed` as a learner runs it, next to a running API: a real process on this file's
// database, told the Redis key prefix this file's API caches under.
const tsx = require.resolve('tsx/cli');
const seedCli = path.join(__dirname, '..', '..', 'data-sql', 'src', 'cli', 'seed.ts');
jest.setTimeout(120_000);

let t: TestApi;
beforeAll(async () => {
  t = await startApi('seed');
});
afterAll(async () => {
  await t?.stop();
});

function seed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, '--conditions=@roadmap/source', seedCli, '--scale', '0.01', ...args],
      {
        timeout: 100_000,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: t.db.url,
          REDIS_URL: t.cache.url,
          CACHE_KEY_PREFIX: `${t.cache.prefix}conduit:`,
        },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const tags = async () =>
  ((await t.http().get('/api/tags').expect(200)).body as { tags: string[] }).tags;

describe('db:seed next to a running API', () => {
  it('when the database is empty and the API has cached the empty tag list, then after the seed the API serves the seeded tags at once', async () => {
    expect(await tags()).toEqual([]); // now cached for CACHE_TTL_SECONDS
    const { code, stdout, stderr } = await seed();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/cache: deleted \d+ cached entr(y|ies) of the REST API/);
    expect((await tags()).length).toBeGreaterThan(0);
  });

  it('when the database holds data (your own users too), then the seed refuses without --reset and says what it would delete', async () => {
    const mine = await registerUser(t, 'mine');
    const refused = await seed();
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^db:seed replaces every row of users, articles, comments, tags, favorites and follows; this database has \d+ users and \d+ articles\. Run it again with --reset to replace them\.\n$/,
    );
    const still = await t.db.pool.query('SELECT 1 FROM users WHERE username = $1', [mine.username]);
    expect(still.rowCount).toBe(1);

    const replaced = await seed('--reset');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/^replacing \d+ users and \d+ articles \(--reset\)/m);
    const gone = await t.db.pool.query('SELECT 1 FROM users WHERE username = $1', [mine.username]);
    expect(gone.rowCount).toBe(0);
  });
});

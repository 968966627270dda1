import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// The embedded fallback of `pnpm start`, proven once: PGlite (PostgreSQL in WebAssembly) behind
// a Postgres wire-protocol socket runs the same migrations and repositories through plain `pg`.
// It runs as a child process (see src/cli/embedded-check.ts for why). Every other test uses the
// real server.
test('when PGlite is served on a local port, then migrations and repositories run unchanged through pg', async () => {
  const root = path.resolve(__dirname, '..');
  const { stdout } = await promisify(execFile)(
    'pnpm',
    ['exec', 'tsx', '--conditions=@roadmap/source', 'src/cli/embedded-check.ts'],
    { cwd: root, timeout: 170_000, env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    embedded: boolean;
    migrations: number;
    version: string;
    page: {
      articlesCount: number;
      articles: { slug: string; tagList: string[]; author: { username: string } }[];
    };
  };
  expect(result.embedded).toBe(true);
  expect(result.migrations).toBeGreaterThanOrEqual(5);
  expect(result.version).toMatch(/^PostgreSQL/);
  expect(result.page.articlesCount).toBe(1);
  expect(result.page.articles[0]).toMatchObject({
    slug: 'embedded',
    tagList: ['wasm'],
    author: { username: 'jake' },
  });
}, 180_000);

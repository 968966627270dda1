import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Seeds the bench database with data-sql's own seed command (`db:seed --scale N`, COPY-based and
 * deterministic), pointed at it through DATABASE_URL: the benchmark measures the data set a
 * learner gets from `pnpm db:seed`, not a private one. Returns the seed's closing summary line.
 */
export async function seedBenchData(databaseUrl: string, scale: number): Promise<string> {
  const { stdout } = await run(
    'pnpm',
    ['--silent', '--filter', '@roadmap/data-sql', 'db:seed', '--reset', '--scale', String(scale)],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  const lines = stdout.trim().split('\n');
  const counts = lines
    .map((line) => /^(users|articles|favorites|follows|comments)\s+(\d+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => `${Number(match[2]).toLocaleString('en-US')} ${match[1]}`);
  return counts.length > 0 ? counts.join(', ') : (lines.at(-1) ?? 'seeded');
}

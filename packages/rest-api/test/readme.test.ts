/**
 * The README's "Try it" lines, run as a learner runs them: bash and curl against a live server
 * (real PostgreSQL and Redis, a random port). They must cover every RealWorld operation of the
 * OpenAPI document, and work as printed — twice in a row, as someone trying them again would.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApi, type TestApi } from './helpers';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The bash block of the "Try it" section, continuation lines joined. */
function tryItScript(): string {
  const section = README.split(/^## /m).find((part) => part.startsWith('Try it'));
  const block = /```bash\n([\s\S]*?)```/.exec(section ?? '')?.[1];
  if (!block) throw new Error('README.md has no bash block under "## Try it"');
  return block.replace(/\\\n/g, ' ');
}

/** "METHOD /path" of every curl line that calls $API (the path relative to /api). */
function curlCalls(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => /\bcurl\b/.test(line) && line.includes('$API/'))
    .map((line) => {
      const method = /-X (\w+)/.exec(line)?.[1] ?? 'GET';
      const url = /\$API(\/[^\s'"?]*)/.exec(line)![1]!;
      return `${method} ${url}`;
    });
}

const REALWORLD_TAGS = [
  'User and Authentication',
  'Profile',
  'Articles',
  'Favorites',
  'Comments',
  'Tags',
];

let t: TestApi;
let base: string;
/** "METHOD /url STATUS" of every request the server answered; reset before each run. */
let answered: string[] = [];

beforeAll(async () => {
  t = await startApi('readme');
  base = await t.listen((req, res) => {
    res.on('finish', () => answered.push(`${req.method} ${req.url} ${res.statusCode}`));
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('README "Try it"', () => {
  it('when its curl lines are listed, then every RealWorld operation of the document has one', () => {
    const calls = curlCalls(tryItScript());
    const operations = Object.entries(t.api.document.paths ?? {}).flatMap(([route, item]) =>
      Object.entries(item as Record<string, { tags?: string[] }>)
        .filter(([, operation]) => REALWORLD_TAGS.includes(operation.tags?.[0] ?? ''))
        .map(([method]) => ({ method: method.toUpperCase(), route })),
    );
    expect(operations).toHaveLength(19);
    const missing = operations
      .filter(({ method, route }) => {
        const pattern = new RegExp(
          `^${method} ${route.replace(/^\/api/, '').replace(/\{\w+\}/g, '[^/]+')}$`,
        );
        return !calls.some((call) => pattern.test(call));
      })
      .map(({ method, route }) => `${method} ${route}`);
    expect(missing).toEqual([]);
  });

  it('when its lines are run twice against a live server, then both runs delete what they created, never 5xx', async () => {
    const script = tryItScript().replaceAll('http://localhost:3000', base);
    for (const run of [1, 2]) {
      answered = [];
      await promisify(execFile)('bash', ['-e', '-c', script], { timeout: 30_000 });
      // The two DELETEs the README annotates with "# 204": the comment, then the article.
      const deletes = answered.filter((line) =>
        /^DELETE \/api\/articles\/[^/]+(\/comments\/[^/]+)? /.test(line),
      );
      expect({ run, deletes: deletes.map((line) => line.split(' ').at(-1)) }).toEqual({
        run,
        deletes: ['204', '204'],
      });
      expect({ run, errors: answered.filter((line) => / 5\d\d$/.test(line)) }).toEqual({
        run,
        errors: [],
      });
    }
  });
});

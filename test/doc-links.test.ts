/**
 * The documents are part of the lesson, so a link that leads nowhere is a bug: every relative
 * link in every Markdown file of the repository (ROADMAP.md, ARCHITECTURE.md, the READMEs…)
 * must name a file or folder that exists, and a `#heading` in it must exist in the target.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', 'reports']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** Markdown without its fenced code blocks (a link in an example is not a link). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The prose of a Markdown file: no code blocks, and no inline code either. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** [text](target) and ![alt](target); the target ends at whitespace or the closing paren. */
function linksIn(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (match) => match[1]!,
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces become hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Why the link is broken, or null when it leads somewhere. */
function brokenReason(fromFile: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: — not ours to check
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved =
    rawPath === '' ? fromFile : path.resolve(path.dirname(fromFile), decodeURI(rawPath));
  if (!existsSync(resolved)) return 'no such file or folder';
  if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
    if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) return `no heading #${anchor}`;
  }
  return null;
}

const files = markdownFiles(ROOT);

describe('links in the Markdown files', () => {
  test('when the repository is scanned, then it finds the documents this test is about', () => {
    const names = files.map((file) => path.relative(ROOT, file));
    expect(names).toEqual(
      expect.arrayContaining([
        'README.md',
        'ROADMAP.md',
        'ARCHITECTURE.md',
        'CONTRIBUTING.md',
        path.join('packages', 'rest-api', 'README.md'),
      ]),
    );
  });

  test.each(files.map((file) => [path.relative(ROOT, file), file]))(
    'when %s links to a path in the repository, then that path exists',
    (_name, file) => {
      const broken = linksIn(readFileSync(file, 'utf8'))
        .map((target) => ({ target, reason: brokenReason(file, target) }))
        .filter((link) => link.reason !== null)
        .map((link) => `${link.target}: ${link.reason}`);
      expect(broken).toEqual([]);
    },
  );
});

describe('ROADMAP.md', () => {
  const roadmap = readFileSync(path.join(ROOT, 'ROADMAP.md'), 'utf8');
  const rows = roadmap
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .filter(([topic]) => topic !== 'topic'); // each table's header row

  test('when its links are read, then there are links to check (the parser found them)', () => {
    expect(linksIn(roadmap).length).toBeGreaterThan(80);
  });

  test('when the table is read, then every row names a topic, what teaches it and what proves it', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const incomplete = rows
      .filter(
        ([topic, teaches, proves]) =>
          !topic || ![teaches, proves].every((cell) => /\]\(|not built yet/.test(cell ?? '')),
      )
      .map(([topic]) => topic);
    expect(incomplete).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const here = path.join(ROOT, 'README.md');

  test('when a link names a missing file, then it is reported', () => {
    expect(brokenReason(here, 'packages/no-such-package/README.md')).toBe('no such file or folder');
  });

  test('when a link names a missing heading, then it is reported; an existing one passes', () => {
    expect(brokenReason(here, 'ARCHITECTURE.md#no-such-heading')).toBe(
      'no heading #no-such-heading',
    );
    expect(brokenReason(here, 'ARCHITECTURE.md#2-the-package-graph')).toBeNull();
  });

  test('when a link sits in a code block or is an external URL, then it is not checked', () => {
    expect(
      linksIn('```\n[a](missing.md)\n```\n`[b](gone.md)` [c](https://x.test/y) [d](e.md#f)'),
    ).toEqual(['https://x.test/y', 'e.md#f']);
    expect(brokenReason(here, 'https://x.test/y')).toBeNull();
  });
});

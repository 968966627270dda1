import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFixture } from './fixture';
import {
  findWorkspaceRoot,
  linkTarget,
  lockfileFacts,
  node,
  resolveFrom,
  workspacePackages,
} from './workspace';

export interface FixtureRun {
  file: string;
  flags: string[];
  output: string;
}

/** Runs every fixture script with `node` and returns what each printed. */
export async function runFixture(dir: string): Promise<FixtureRun[]> {
  const runs: Array<[string, string[]]> = [
    ['use-cjs.cjs', []],
    ['use-esm.mjs', []],
    ['esm-imports-cjs.mjs', []],
    ['cjs-requires-esm.cjs', []],
    ['greet.cjs', []],
    ['greet.mjs', []],
    ['greet.cjs', ['--conditions=@roadmap/source']],
    ['deep-import.cjs', []],
  ];
  const results: FixtureRun[] = [];
  for (const [file, flags] of runs) {
    results.push({ file, flags, output: await node(dir, [...flags, file]) });
  }
  return results;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'language-modules-'));
  try {
    await writeFixture(dir);
    console.log(`A tiny project in ${dir}, each file run with node ${process.version}:\n`);
    for (const { file, flags, output } of await runFixture(dir)) {
      console.log(`  node ${[...flags, file].join(' ')}`.padEnd(58) + `→ ${output}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const root = findWorkspaceRoot(__dirname);
  if (!root) {
    console.log('\nThis package is not inside the pnpm workspace; the workspace part is skipped.');
    return;
  }
  console.log(`\nThis workspace (${root}): each package's exports map`);
  for (const pkg of await workspacePackages(root)) {
    const entries = Object.entries(pkg.conditions).map(
      ([condition, file]) => `${condition} → ${file}`,
    );
    console.log(`  ${pkg.name.padEnd(20)} ${entries.join(', ')}`);
  }
  console.log('\nHow `@roadmap/kit` resolves from the root (ESM resolution, import.meta.resolve):');
  console.log(
    `  node --conditions=@roadmap/source  → ${await resolveFrom(root, '@roadmap/kit', ['@roadmap/source'])}`,
  );
  console.log(`  node (no condition: production)    → ${await resolveFrom(root, '@roadmap/kit')}`);
  console.log(
    `  node_modules/@roadmap/kit is a symlink to ${await linkTarget(root, '@roadmap/kit')}`,
  );

  const lock = await lockfileFacts(root);
  console.log(
    `\npnpm-lock.yaml: lockfile v${lock.lockfileVersion}, ${lock.importers} importers (the root and each package), ${lock.packages} resolved packages, ${lock.integrityHashes} sha512 integrity hashes`,
  );
}

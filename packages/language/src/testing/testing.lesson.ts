import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScript, type ProcessOutcome } from '../run-node';
import { type HotFunction, readProfile, summarizeProfile } from './profile-summary';

const packageDir = path.join(__dirname, '..', '..');
export const nodeTestFile = path.join(packageDir, 'test', 'node', 'slugify.node-test.ts');
export const failingNodeTestFile = path.join(
  packageDir,
  'test',
  'node',
  'fails-on-purpose.node-test.ts',
);
const hotFile = path.join(__dirname, `hot${path.extname(__filename)}`);

/** Runs one node:test file with Node's built-in runner (`node --test`). */
export function runNodeTest(
  file: string,
  reporter: 'spec' | 'tap' = 'tap',
): Promise<ProcessOutcome> {
  return runScript(file, [], { flags: ['--test', `--test-reporter=${reporter}`] });
}

/** Runs hot.ts under `--cpu-prof` and summarises the profile it writes. */
export async function profileHot(mode: 'slow' | 'fast', articles = 5_000) {
  const dir = await mkdtemp(path.join(tmpdir(), 'language-profile-'));
  try {
    const outcome = await runScript(hotFile, [mode, String(articles)], {
      flags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    });
    if (outcome.exitCode !== 0) throw new Error(`hot.ts failed: ${outcome.stderr}`);
    const result = JSON.parse(outcome.stdout) as { pairs: number; calls: number; ms: number };
    return { ...result, top: summarizeProfile(await readProfile(dir), packageDir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The hottest function that is ours, not V8's "(program)", "(garbage collector)" or "(idle)". */
export const hottestOwn = (top: HotFunction[]) => top.find((f) => !f.name.startsWith('('));

export async function run(): Promise<void> {
  console.log(`node --test ${path.relative(packageDir, nodeTestFile)} (the spec reporter):`);
  const passing = await runNodeTest(nodeTestFile, 'spec');
  for (const line of passing.stdout.trimEnd().split('\n'))
    console.log(`  ${line.replace(/\(\d+\.\d+ms\)/, '(…ms)')}`);
  console.log(`  exit code ${passing.exitCode}`);

  console.log(`\nA failing node:test file (${path.relative(packageDir, failingNodeTestFile)}):`);
  const failing = await runNodeTest(failingNodeTestFile, 'spec');
  const shown = failing.stdout
    .split('\n')
    .filter((line) => /✖|\+ |- '|actual|expected/.test(line))
    .slice(0, 6);
  for (const line of shown) console.log(`  ${line.trimEnd()}`);
  console.log(`  exit code ${failing.exitCode}`);

  for (const mode of ['slow', 'fast'] as const) {
    const profile = await profileHot(mode);
    console.log(
      `\nnode --cpu-prof src/testing/hot.ts ${mode}: ${profile.calls} calls in ${profile.ms} ms (${profile.pairs} pairs each); self time by function:`,
    );
    for (const f of profile.top.slice(0, 4)) {
      console.log(
        `  ${f.selfMs.toFixed(0).padStart(6)} ms ${f.percent.toFixed(0).padStart(3)} %  ${f.name} ${f.where}`,
      );
    }
  }
}

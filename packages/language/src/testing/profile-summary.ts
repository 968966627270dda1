import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a V8 .cpuprofile (what `--cpu-prof` writes) that a summary needs. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string };
  }>;
  /** For each sample, the id of the node (function) that was on top of the stack. */
  samples: number[];
  /** Microseconds between consecutive samples. */
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  /**
   * The file, relative to `baseDir`; empty for V8's own entries like (garbage collector). No
   * line: for TypeScript run through tsx, V8 knows only the lines of the compiled JavaScript.
   */
  where: string;
  selfMs: number;
  percent: number;
}

/**
 * Self time per function: how long each function was the one running (not its callees). Sums
 * the time of every sample whose top-of-stack frame is that function, and sorts descending.
 */
export function summarizeProfile(profile: CpuProfile, baseDir: string): HotFunction[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((nodeId, i) => {
    const frame = byNode.get(nodeId);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!frame) return;
    totalUs += us;
    const file = frame.url ? path.relative(baseDir, frame.url.replace(/^file:\/\//, '')) : '';
    const where = file;
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const entry = selfUs.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    selfUs.set(key, entry);
  });
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .map(({ name, where, us }) => ({
      name,
      where,
      selfMs: us / 1000,
      percent: totalUs ? (100 * us) / totalUs : 0,
    }));
}

/** Reads the one .cpuprofile file `--cpu-prof-dir` produced in `dir`. */
export async function readProfile(dir: string): Promise<CpuProfile> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
}

// pnpm --filter @roadmap/language exec tsx src/testing/profile-summary.ts <file.cpuprofile>…
if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: profile-summary <file.cpuprofile>…');
  void (async () => {
    for (const file of files) {
      console.log(file);
      const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
      for (const f of summarizeProfile(profile, process.cwd()).slice(0, 10)) {
        const ms = f.selfMs.toFixed(1).padStart(9);
        console.log(`${ms} ms ${f.percent.toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
      }
    }
  })();
}

/**
 * `pnpm --filter @roadmap/rest-api exec tsx bench/profile-top.ts <file.cpuprofile> [requests]`
 * — the top of a V8 CPU profile as text: self time per function and per package (express,
 * pg, ioredis, zod, helmet, node internals, our own code…), in µs per request when the
 * number of requests the profile covers is given (the bench prints it). A flame graph in
 * Chrome DevTools shows the same data; this is the table the README's lesson is built from.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, requestsArg, skipArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-top.ts <file.cpuprofile> [requests] [skip seconds]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const requests = Number(requestsArg ?? 0);

// Why sum the deltas per sample: V8 samples at an interval that stretches under load, so
// "hits × interval" would be wrong; each sample's delta is the time it stands for.
// Skipping the first seconds leaves out start-up (module loading, tsx compiling TypeScript),
// which a long-running server pays once, not per request.
const skipMicros = Number(skipArg ?? 0) * 1e6;
const selfMicros = new Map<number, number>();
let elapsed = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  elapsed += delta;
  if (elapsed < skipMicros) return;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
});

/** Which package (or part of Node) a function belongs to, from its script URL. */
function bucket(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.includes('/node_modules/')) return url.split('/node_modules/').pop()!.split('/')[0]!;
  const workspace = /packages\/([^/]+)\//.exec(url);
  if (workspace) return `@roadmap/${workspace[1]!}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]!}`;
  return url === '' ? '(native / V8)' : url;
}

const byFunction = new Map<string, number>();
const byBucket = new Map<string, number>();
let busy = 0;
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const where = bucket(node);
  // Idle time is the event loop waiting for I/O: not a cost, so not in the tables.
  if (where === '(idle)') continue;
  busy += micros;
  const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byBucket.set(where, (byBucket.get(where) ?? 0) + micros);
}

const per = (micros: number) =>
  requests > 0 ? `${(micros / requests).toFixed(1).padStart(8)} µs/req` : '';
const show = (title: string, entries: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${(micros / 1000).toFixed(1).padStart(9)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}% ${per(micros)}  ${name}`,
    );
};
console.log(
  `${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s on CPU${requests > 0 ? `, ${requests} requests: ${(busy / requests).toFixed(1)} µs/req` : ''}`,
);
show('self time by package', byBucket, 15);
show('self time by function', byFunction, 25);

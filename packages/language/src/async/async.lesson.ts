import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { cancelFetch, cancelFirstOf, cancelPipeline, cancelTimer } from './cancel';
import { compareCombinators } from './combinators';
import { countInFlight, mapWithLimit } from './pool';
import { nameWithAwait, nameWithCallback, nameWithPromise } from './styles';
import { scenarios } from './unhandled';

const packageJson = path.join(__dirname, '..', '..', 'package.json');

export async function run(): Promise<void> {
  console.log('Callbacks → promises → async/await, reading the same package.json:');
  const viaCallback = await new Promise<string>((resolve, reject) =>
    nameWithCallback(packageJson, (err, name) => (err ? reject(err) : resolve(name!))),
  );
  console.log(`  callback: ${viaCallback}`);
  console.log(`  promise:  ${await nameWithPromise(packageJson)}`);
  console.log(`  await:    ${await nameWithAwait(packageJson)}`);

  console.log('\nCombinators over fast (10 ms), broken (fails at 20 ms) and slow (30 ms):');
  for (const [name, outcome] of Object.entries(await compareCombinators())) {
    const shown =
      'fulfilled' in outcome ? `→ ${JSON.stringify(outcome.fulfilled)}` : `✗ ${outcome.rejected}`;
    console.log(`  ${name.padEnd(24)} ${shown}`);
  }

  console.log('\nBounded concurrency: 12 calls of 50 ms each:');
  const calls = Array.from({ length: 12 }, (_, i) => i);
  const variants: Array<[string, (call: (i: number) => Promise<number>) => Promise<number[]>]> = [
    ['Promise.all (unbounded)', (call) => Promise.all(calls.map(call))],
    ['mapWithLimit(…, 3)', (call) => mapWithLimit(calls, 3, call)],
    [
      'p-limit(3)',
      (call) => {
        const limit = pLimit(3);
        return Promise.all(calls.map((i) => limit(() => call(i))));
      },
    ],
  ];
  for (const [name, runAll] of variants) {
    const call = countInFlight(async (i: number) => (await sleep(50), i * i));
    const started = performance.now();
    const results = await runAll(call);
    const ms = performance.now() - started;
    console.log(
      `  ${name.padEnd(24)} at most ${String(call.peak).padStart(2)} in flight, ${ms.toFixed(0).padStart(3)} ms, results in order: ${results.join(',') === calls.map((i) => i * i).join(',')}`,
    );
  }

  console.log('\nCancellation with AbortSignal:');
  for (const outcome of [await cancelTimer(50), await cancelFetch(100), await cancelPipeline(5)]) {
    const cause = outcome.cause ? ` (cause: ${outcome.cause})` : '';
    console.log(
      `  ${outcome.what.padEnd(28)} rejects with ${outcome.error}${cause}; released its resources: ${outcome.cleanedUp}`,
    );
  }
  console.log(
    `  AbortSignal.any, user at 30 ms vs deadline at 200 ms: ${await cancelFirstOf(30, 200)}`,
  );
  console.log(
    `  AbortSignal.any, user at 200 ms vs deadline at 30 ms: ${await cancelFirstOf(200, 30)}`,
  );

  console.log('\nAn unhandled rejection, in a fresh `node` each:');
  for (const [name, scenario] of Object.entries(scenarios)) {
    const { exitCode, stdout, stderr } = await scenario();
    const firstErrorLine =
      stderr
        .split('\n')
        .map((line) => line.replace(/^\(node:\d+\) /, ''))
        .find((line) => /^\w*(Error|Warning)\b/.test(line)) ?? '';
    console.log(`  ${name.padEnd(34)} exit code ${exitCode}`);
    for (const line of stdout.trim().split('\n').filter(Boolean))
      console.log(`      stdout: ${line}`);
    if (firstErrorLine) console.log(`      stderr: ${firstErrorLine.trim().slice(0, 90)}`);
  }
}

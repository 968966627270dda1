import { measureLoop } from './blocking';
import { observeOrder, whereItRuns } from './phase-order';

export async function run(): Promise<void> {
  console.log('Who runs first? One callback of each kind, scheduled from an I/O callback:\n');
  const order = await observeOrder();
  order.forEach((label, i) =>
    console.log(`  ${i + 1}. ${label.padEnd(31)} ${whereItRuns[label] ?? ''}`),
  );

  console.log('\nWhat blocks the loop: 200 ms of CPU work, in one piece and in 5 ms chunks:\n');
  console.log('  mode       longest wait for the loop   1 ms timer ran during the work');
  for (const mode of ['blocking', 'chunked'] as const) {
    const report = await measureLoop(mode);
    console.log(
      `  ${mode.padEnd(10)} ${report.maxDelayMs.toFixed(1).padStart(8)} ms${' '.repeat(17)}${report.ticksDuringWork} times`,
    );
  }
  console.log(
    '\nWhile one callback computes, nothing else runs: no timer, no request, no I/O callback.',
  );
  console.log('Chunking (or a worker thread, lesson 4) keeps every wait short.');
}

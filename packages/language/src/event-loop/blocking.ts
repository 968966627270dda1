import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';

/** Keeps the CPU busy for `ms` milliseconds: a stand-in for parsing, hashing, templating… */
export function busyFor(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}

export interface LoopReport {
  mode: 'blocking' | 'chunked';
  workMs: number;
  /** The longest time a ready callback had to wait for the loop, in ms. */
  maxDelayMs: number;
  /** How often a 1 ms interval timer (think: other requests) got to run during the work. */
  ticksDuringWork: number;
}

/**
 * Does `workMs` of CPU work either in one synchronous block or in `chunkMs` slices that give
 * the loop back in between, while `monitorEventLoopDelay` and an interval timer watch.
 */
export async function measureLoop(
  mode: LoopReport['mode'],
  workMs = 200,
  chunkMs = 5,
): Promise<LoopReport> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const interval = setInterval(() => ticks++, 1);
  histogram.enable();
  // Why wait: the monitor's first timer tick only starts its clock; a block before it is missed.
  await sleep(25);
  const ticksBefore = ticks;
  if (mode === 'blocking') {
    busyFor(workMs);
  } else {
    for (let done = 0; done < workMs; done += chunkMs) {
      busyFor(Math.min(chunkMs, workMs - done));
      await yieldToLoop();
    }
  }
  const ticksDuringWork = ticks - ticksBefore;
  // One more turn, so the monitor records the delay the last block caused.
  await sleep(25);
  histogram.disable();
  clearInterval(interval);
  return { mode, workMs, maxDelayMs: histogram.max / 1e6, ticksDuringWork };
}

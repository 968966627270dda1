import { readFile } from 'node:fs';

/**
 * Schedules one callback of each kind and resolves with their labels in the order they ran.
 *
 * Why from inside an I/O callback: there Node guarantees that `setImmediate` (check phase,
 * later in this same loop turn) runs before `setTimeout(0)` (timers phase, next turn). From the
 * main module the two race, and the winner depends on how busy the machine is.
 */
export function observeOrder(): Promise<string[]> {
  return new Promise((resolve) => {
    const order: string[] = [];
    readFile(__filename, () => {
      order.push('I/O callback');
      setTimeout(() => {
        order.push('setTimeout 0');
        resolve(order);
      }, 0);
      setImmediate(() => order.push('setImmediate'));
      void Promise.resolve().then(() => {
        order.push('promise.then');
        process.nextTick(() => order.push('nextTick queued by a microtask'));
      });
      queueMicrotask(() => order.push('queueMicrotask'));
      process.nextTick(() => order.push('process.nextTick'));
      order.push('synchronous code');
    });
  });
}

/** Where each label runs, for the printed table. */
export const whereItRuns: Record<string, string> = {
  'I/O callback': 'poll phase (the file was read by the libuv thread pool)',
  'synchronous code': 'the rest of the current callback, to its end',
  'process.nextTick': 'nextTick queue, drained right after the current callback',
  'promise.then': 'microtask queue, drained after the nextTick queue',
  queueMicrotask: 'microtask queue, in the order queued',
  'nextTick queued by a microtask': 'nextTick queue again: both queues drain until empty',
  setImmediate: 'check phase, later in this loop turn',
  'setTimeout 0': 'timers phase of the next loop turn (0 means at least 1 ms)',
};

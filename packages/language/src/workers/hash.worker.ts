// Runs inside a worker thread: its own V8 isolate and event loop, sharing the process. It gets
// tasks as messages, so the main thread's loop stays free while it computes.
import { parentPort } from 'node:worker_threads';
import { hashPassword, type HashTask } from './hash';

parentPort!.on('message', ({ id, input }: { id: number; input: HashTask }) => {
  try {
    parentPort!.postMessage({ id, output: hashPassword(input) });
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});

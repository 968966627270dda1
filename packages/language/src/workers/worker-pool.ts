import { Worker } from 'node:worker_threads';
import { nodeFlagsFor } from '../run-node';

interface Job<In, Out> {
  id: number;
  input: In;
  resolve: (output: Out) => void;
  reject: (err: Error) => void;
}

type Reply<Out> = { id: number; output: Out } | { id: number; error: string };

/**
 * A fixed set of worker threads and a queue: `run(input)` hands the input to an idle worker,
 * or queues it until one is free, and resolves with the worker's answer. Starting a worker
 * costs milliseconds and megabytes, so they are started once and reused.
 *
 * For real work, [piscina](https://github.com/piscinajs/piscina) does this and more
 * (timeouts, cancellation, resource limits); this one is small enough to read.
 */
export class WorkerPool<In, Out> {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job<In, Out>>();
  private readonly queue: Array<Job<In, Out>> = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.start());
  }

  /** How many workers are computing right now. */
  get busy(): number {
    return this.running.size;
  }

  run(input: In): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('the pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue.splice(0), ...this.running.values()]) {
      job.reject(new Error('the pool is closed'));
    }
    await Promise.all([...this.idle, ...this.running.keys()].map((worker) => worker.terminate()));
  }

  private start(): Worker {
    const worker = new Worker(this.file, { execArgv: nodeFlagsFor(this.file) });
    worker.on('message', (reply: Reply<Out>) => {
      const job = this.running.get(worker);
      if (!job || job.id !== reply.id) return;
      this.running.delete(worker);
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.output);
      this.idle.push(worker);
      this.dispatch();
    });
    // Why replace it: a worker that crashed (an uncaught throw, out of memory) is gone; its
    // job fails, and a fresh worker takes its place so the pool keeps its size.
    worker.on('error', (err) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.reject(err);
      if (!this.closed) {
        this.idle.push(this.start());
        this.dispatch();
      }
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, input: job.input });
    }
  }
}

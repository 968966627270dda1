import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Cancelled {
  what: string;
  /** `error.name` of the rejection: AbortError, TimeoutError… */
  error: string;
  /** `error.cause.name`, where the API wraps the signal's reason. */
  cause?: string;
  /** Whether the abandoned operation also released what it held. */
  cleanedUp: boolean;
}

const describeError = (err: unknown) => {
  const e = err as Error & { cause?: Error };
  return { error: e.name, ...(e.cause?.name ? { cause: e.cause.name } : {}) };
};

/** A timer of 10 s, given up after `ms` by `AbortSignal.timeout`. */
export async function cancelTimer(ms: number): Promise<Cancelled> {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  try {
    await sleep(10_000, undefined, { signal: AbortSignal.timeout(ms) });
    throw new Error('the timer was not cancelled');
  } catch (err) {
    // The 10 s timer is cleared, so it no longer keeps the process alive.
    return {
      what: 'timers/promises setTimeout',
      ...describeError(err),
      cleanedUp: timers() <= before,
    };
  }
}

/** A `fetch` to a server that never answers, given up after `ms`. */
export async function cancelFetch(ms: number): Promise<Cancelled> {
  let server: Server | undefined;
  let socketClosed = false;
  try {
    server = createServer((req, res) => {
      // The warm-up's connection closes after it, so it cannot carry the request below.
      if (req.url === '/ready') return void res.setHeader('connection', 'close').end('ok');
      // Anything else: never answer, and note when the client hangs up.
      req.socket.on('close', () => (socketClosed = true));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Why a first request: it loads fetch's HTTP client, so the deadline below measures
    // waiting for the answer, not start-up on a busy machine.
    await (await fetch(`${base}/ready`)).text();
    await fetch(`${base}/never`, { signal: AbortSignal.timeout(ms) });
    throw new Error('the request was not cancelled');
  } catch (err) {
    // fetch closes the connection that carried the aborted request; wait for the server to see it.
    for (let i = 0; i < 300 && !socketClosed; i++) await sleep(10);
    return { what: 'fetch', ...describeError(err), cleanedUp: socketClosed };
  } finally {
    server?.closeAllConnections();
    server?.close();
  }
}

/** An endless stream copied into a slow sink, cancelled by the caller after `chunks` chunks. */
export async function cancelPipeline(chunks: number): Promise<Cancelled & { written: number }> {
  const controller = new AbortController();
  let written = 0;
  const source = Readable.from(
    (function* endless() {
      for (;;) yield 'chunk';
    })(),
  );
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      if (++written === chunks) controller.abort();
      setImmediate(callback);
    },
  });
  try {
    await pipeline(source, sink, { signal: controller.signal });
    throw new Error('the pipeline was not cancelled');
  } catch (err) {
    return {
      what: 'stream pipeline',
      ...describeError(err),
      cleanedUp: source.destroyed && sink.destroyed,
      written,
    };
  }
}

/**
 * `AbortSignal.any`: one signal for "the caller gave up OR the deadline passed" — whichever
 * comes first. Here the caller gives up after `userMs`, the deadline is `deadlineMs`.
 */
export async function cancelFirstOf(userMs: number, deadlineMs: number): Promise<string> {
  const user = new AbortController();
  setTimeout(() => user.abort(new Error('the user pressed cancel')), userMs).unref();
  const signal = AbortSignal.any([user.signal, AbortSignal.timeout(deadlineMs)]);
  try {
    await sleep(10_000, undefined, { signal });
    return 'not cancelled';
  } catch {
    const reason = signal.reason as Error;
    return reason.name === 'TimeoutError' ? 'the deadline passed' : reason.message;
  }
}

import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hashPassword, type HashTask } from './hash';
import { type WorkerPool } from './worker-pool';

export interface HashServer {
  url: string;
  /** The longest and the 99th-percentile wait of the server's event loop, in ms. */
  loopDelay(): { maxMs: number; p99Ms: number };
  close(): Promise<void>;
}

/**
 * Two routes: `GET /hash` does CPU work — on the event loop itself (`inline`) or in the pool —
 * and `GET /ping` answers at once with how many hashes are in flight at that moment.
 */
export async function startHashServer(
  iterations: number,
  pool?: WorkerPool<HashTask, string>,
): Promise<HashServer> {
  let inFlight = 0;
  const server = createServer((req, res) => {
    if (req.url === '/ping') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ inFlightHashes: inFlight }));
      return;
    }
    if (req.url !== '/hash') {
      res.statusCode = 404;
      res.end();
      return;
    }
    inFlight++;
    const task = { password: 'correct horse battery staple', iterations };
    // Inline, the whole hash runs inside this callback: no other request can be handled, so no
    // ping can ever see `inFlight > 0`. In the pool, this callback returns at once.
    const hashed = pool
      ? pool.run(task)
      : new Promise<string>((resolve) => resolve(hashPassword(task)));
    hashed.then(
      (hash) => {
        inFlight--;
        res.end(hash);
      },
      (err: Error) => {
        inFlight--;
        res.statusCode = 500;
        res.end(err.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loopDelay: () => ({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 }),
    close: () => {
      histogram.disable();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

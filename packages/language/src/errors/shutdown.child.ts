// A server that shuts down gracefully on SIGTERM, from first principles (kit does the same for
// every app, plus readiness and closing database clients). One line per event on stdout.
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

const requestMs = Number(process.argv[2] ?? 300);
const shutdownTimeoutMs = Number(process.argv[3] ?? 2_000);

const stopSignal = new Promise((resolve) => process.once('SIGTERM', resolve));

const server = createServer((req, res) => {
  console.log(`request started: ${req.url}`);
  // Why wait for the signal first: the lesson is about a request that is in flight when SIGTERM
  // arrives, and this makes sure it is, however slow the machine. Then it takes requestMs.
  void stopSignal.then(() =>
    setTimeout(() => {
      res.end(`done after ${requestMs} ms`);
      console.log(`request finished: ${req.url}`);
    }, requestMs),
  );
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on ${(server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => {
  // 1. Stop accepting. The callback runs once every connection has ended.
  server.close(() => {
    console.log('server closed: exiting with 0');
    process.exit(0);
  });
  // 2. Keep-alive connections with no request in flight would hold close() open: end them.
  server.closeIdleConnections();
  console.log('SIGTERM received: stopped accepting, finishing the requests in flight');
  // 3. Never wait forever: a stuck request must not block a deploy. unref() so that this timer
  //    alone does not keep the process alive.
  setTimeout(() => {
    console.log(`still busy after ${shutdownTimeoutMs} ms: cutting connections, exiting with 1`);
    server.closeAllConnections();
    process.exit(1);
  }, shutdownTimeoutMs).unref();
});

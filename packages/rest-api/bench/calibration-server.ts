/**
 * The calibration of the benchmark: `node:http` answering a small fixed JSON body, with no
 * database, no framework and no work. Its throughput is what this machine, right now, can do
 * for HTTP alone; every other figure is reported as a multiple of it ("× calibration"), which
 * cancels most of the difference between a quiet laptop and a busy shared server.
 *
 * Started by bench/run.ts as a child process; it reports its port over the IPC channel.
 */
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { serveStatsOverIpc } from './server-stats';

serveStatsOverIpc(null);
const BODY = Buffer.from(JSON.stringify({ status: 'ok', stage: 'calibration' }));

const server = http.createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': BODY.length,
  });
  res.end(BODY);
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  process.exit(0);
});

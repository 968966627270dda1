// The load generator, in a process of its own so that its clock and its event loop are not the
// server's: it sends `hashes` hash requests at once and pings every few ms until they are all
// answered, then prints one JSON line.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadReport {
  pings: number;
  /** Pings the server answered while at least one hash was still being computed. */
  pingsDuringHashes: number;
  pingMaxMs: number;
  pingMedianMs: number;
  hashesMs: number;
}

async function main([url, hashes]: string[]) {
  const started = performance.now();
  let done = false;
  const all = Promise.all(
    Array.from({ length: Number(hashes) }, () => fetch(`${url}/hash`).then((r) => r.text())),
  ).finally(() => (done = true));
  const latencies: number[] = [];
  let pingsDuringHashes = 0;
  while (!done) {
    const sent = performance.now();
    const { inFlightHashes } = (await (await fetch(`${url}/ping`)).json()) as {
      inFlightHashes: number;
    };
    latencies.push(performance.now() - sent);
    if (inFlightHashes > 0) pingsDuringHashes++;
    await sleep(5);
  }
  await all;
  latencies.sort((a, b) => a - b);
  const report: LoadReport = {
    pings: latencies.length,
    pingsDuringHashes,
    pingMaxMs: latencies.at(-1) ?? 0,
    pingMedianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
    hashesMs: performance.now() - started,
  };
  console.log(JSON.stringify(report));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

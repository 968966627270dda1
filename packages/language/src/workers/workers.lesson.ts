import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readConfig } from '../config';
import { runScript } from '../run-node';
import { hashPassword, type HashTask } from './hash';
import { startHashServer } from './hash-server';
import { type LoadReport } from './load.child';
import { clusterSpread, runProgram } from './processes';
import { WorkerPool } from './worker-pool';

const ext = path.extname(__filename);
export const hashWorkerFile = path.join(__dirname, `hash.worker${ext}`);
const loadChildFile = path.join(__dirname, `load.child${ext}`);

export interface ServerRun {
  mode: 'inline' | 'workers';
  load: LoadReport;
  loopDelay: { maxMs: number; p99Ms: number };
}

/** Starts the hash server (CPU work inline or in `pool`) and runs the load generator against it. */
export async function measureServer(
  iterations: number,
  hashes: number,
  pool?: WorkerPool<HashTask, string>,
): Promise<ServerRun> {
  const server = await startHashServer(iterations, pool);
  try {
    const { exitCode, stdout, stderr } = await runScript(loadChildFile, [
      server.url,
      String(hashes),
    ]);
    if (exitCode !== 0) throw new Error(`load generator failed: ${stderr}`);
    return {
      mode: pool ? 'workers' : 'inline',
      load: JSON.parse(stdout) as LoadReport,
      loopDelay: server.loopDelay(),
    };
  } finally {
    await server.close();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(8);

export async function run(): Promise<void> {
  const { workers } = readConfig();
  const iterations = 200_000;
  let started = performance.now();
  hashPassword({ password: 'warm-up', iterations });
  console.log(
    `One hash (PBKDF2-SHA256, ${iterations} iterations) takes ${(performance.now() - started).toFixed(0)} ms of CPU on this machine (${availableParallelism()} cores).\n`,
  );

  const hashes = 8;
  console.log(`A server hashes ${hashes} passwords at once while a client pings it every 5 ms:`);
  console.log(
    `  where the hashing runs      loop delay max/p99    ping median/max    all hashes   pings answered mid-hash`,
  );
  const pool = new WorkerPool<HashTask, string>(hashWorkerFile, workers);
  try {
    for (const usePool of [false, true]) {
      const r = await measureServer(iterations, hashes, usePool ? pool : undefined);
      console.log(
        `  ${(usePool ? `worker pool of ${workers}` : 'inline, on the event loop').padEnd(26)}${ms(r.loopDelay.maxMs)} /${ms(r.loopDelay.p99Ms)}  ${ms(r.load.pingMedianMs)} /${ms(r.load.pingMaxMs)}${ms(r.load.hashesMs).padStart(13)}   ${r.load.pingsDuringHashes} of ${r.load.pings}`,
      );
    }
  } finally {
    await pool.close();
  }

  console.log('\nchild_process: running other programs');
  console.log(
    `  execFile(node, ['--version'])  → ${await runProgram(process.execPath, ['--version'])}`,
  );
  try {
    console.log(`  execFile('git', ['--version']) → ${await runProgram('git', ['--version'])}`);
  } catch (err) {
    console.log(
      `  execFile('git', ['--version']) → ${(err as NodeJS.ErrnoException).code}: git is not installed`,
    );
  }
  try {
    await runProgram('no-such-program-here', []);
  } catch (err) {
    console.log(
      `  execFile('no-such-program-here') → rejects with ${(err as NodeJS.ErrnoException).code}`,
    );
  }

  started = performance.now();
  const spread = await clusterSpread(2, 20);
  console.log(
    `\ncluster: 2 worker processes share one port; 20 requests (new connection each) were answered by`,
  );
  for (const [pid, count] of spread) console.log(`  pid ${pid}: ${count}`);
  console.log(
    `  (forking, answering and stopping took ${(performance.now() - started).toFixed(0)} ms)`,
  );
}

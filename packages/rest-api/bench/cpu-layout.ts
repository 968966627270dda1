import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Where the processes of one measurement run. Two layouts, both measured in every run:
 *
 * - `shared`: nothing pinned. The server, its PostgreSQL backends, Redis and autocannon all
 *   compete for every core, so throughput follows the total CPU a request costs.
 * - `isolated`: the server under test gets core 0 to itself; autocannon (this process) and the
 *   PostgreSQL backends of the server's pool are pinned to the other cores. This is the
 *   three-machine layout of serious HTTP benchmarks (load generator, app server and database
 *   apart), scaled down to one machine: the server's throughput is limited by its own core or
 *   by the database, whichever gives out first.
 *
 * Pinning uses `taskset` (util-linux) and needs Linux and at least two cores; elsewhere only
 * the shared layout is measured and the report says why.
 */
export type Layout = 'shared' | 'isolated';

export interface CpuSets {
  /** The server under test. */
  server: string;
  /** Everything else this benchmark controls: autocannon and the PostgreSQL backends. */
  rest: string;
  /** Every core: how a pinned process is set free again. */
  all: string;
}

/** The core sets of the isolated layout, or why it cannot be measured here. */
export function isolatedCpuSets(): CpuSets | { unavailable: string } {
  const cores = os.availableParallelism();
  if (process.platform !== 'linux') return { unavailable: 'pinning needs Linux (taskset)' };
  if (cores < 2) return { unavailable: 'pinning needs at least two cores' };
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return { unavailable: '`taskset` (util-linux) is not installed' };
  }
  const last = cores - 1;
  return { server: '0', rest: last === 1 ? '1' : `1-${last}`, all: `0-${last}` };
}

/**
 * Sets the CPU affinity of every thread of a process (`-a`: a Node process runs V8 and libuv
 * threads beside its main thread). A process that has exited meanwhile is skipped.
 */
export function pin(pid: number, cpus: string): void {
  try {
    execFileSync('taskset', ['-apc', cpus, String(pid)], { stdio: 'ignore' });
  } catch {
    // The process is gone (a pool connection closed): nothing to pin.
  }
}

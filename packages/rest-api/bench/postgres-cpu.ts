import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/**
 * CPU time used so far by the PostgreSQL backends serving one application_name (each server
 * under test names its pool), per backend pid, in microseconds. Read from /proc/<pid>/stat,
 * so it works only when PostgreSQL runs on this machine; otherwise it returns null and the
 * report says "n/a".
 *
 * Why measure it: on a shared machine throughput moves with whatever else is running, but the
 * CPU a request costs (in Node and in PostgreSQL) hardly does.
 */
/** The pids of the PostgreSQL backends serving one application_name. */
export async function backendPids(pool: pg.Pool, applicationName: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  return rows.map((row) => row.pid);
}

export async function postgresCpu(
  pool: pg.Pool,
  applicationName: string,
): Promise<Map<number, number> | null> {
  const cpu = new Map<number, number>();
  for (const pid of await backendPids(pool, applicationName)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    // Fields after the ")" that closes the command name: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks());
  }
  return cpu;
}

/** CPU used between two snapshots; a backend that connected in between counts from zero. */
export function cpuBetween(
  before: Map<number, number> | null,
  after: Map<number, number> | null,
): number | null {
  if (!before || !after) return null;
  let micros = 0;
  for (const [pid, used] of after) micros += used - (before.get(pid) ?? 0);
  return micros;
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100; // what Linux uses almost everywhere
    }
  }
  return ticks;
}

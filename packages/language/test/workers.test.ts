import { hashPassword, type HashTask } from '../src/workers/hash';
import { clusterSpread, runProgram } from '../src/workers/processes';
import { WorkerPool } from '../src/workers/worker-pool';
import { hashWorkerFile, measureServer } from '../src/workers/workers.lesson';

describe('lesson 4: CPU work off the main thread', () => {
  let pool: WorkerPool<HashTask, string>;
  beforeAll(() => (pool = new WorkerPool<HashTask, string>(hashWorkerFile, 2)));
  afterAll(() => pool.close());

  it('when tasks go through the worker pool, then each answer equals the inline hash, in order, with at most two busy', async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => ({ password: `pw-${i}`, iterations: 1_000 }));
    const pending = tasks.map((task) => pool.run(task));
    expect(pool.busy).toBe(2);
    expect(await Promise.all(pending)).toEqual(tasks.map(hashPassword));
    expect(pool.busy).toBe(0);
  });

  it('when a task throws inside the worker, then its promise rejects and the pool keeps working', async () => {
    await expect(pool.run({ password: 'x', iterations: -1 })).rejects.toThrow(/iterations/);
    expect(await pool.run({ password: 'x', iterations: 1 })).toBe(
      hashPassword({ password: 'x', iterations: 1 }),
    );
  });

  it('when the pool is closed with work in flight, then that work is rejected instead of left hanging', async () => {
    const own = new WorkerPool<HashTask, string>(hashWorkerFile, 1);
    // Settled into values at once, so the rejections during close() count as handled.
    const running = own.run({ password: 'x', iterations: 5_000_000 }).catch((e: Error) => e);
    const queued = own.run({ password: 'y', iterations: 1 }).catch((e: Error) => e);
    await own.close();
    expect(await running).toEqual(new Error('the pool is closed'));
    expect(await queued).toEqual(new Error('the pool is closed'));
    await expect(own.run({ password: 'z', iterations: 1 })).rejects.toThrow('the pool is closed');
  });

  it('when hashing runs inline, then the server answers no ping while a hash is in flight', async () => {
    const run = await measureServer(100_000, 4);
    expect(run.load.pings).toBeGreaterThan(0);
    expect(run.load.pingsDuringHashes).toBe(0);
  });

  it('when hashing runs in the pool, then the server answers pings while hashes are in flight', async () => {
    const run = await measureServer(100_000, 6, pool);
    expect(run.load.pingsDuringHashes).toBeGreaterThan(0);
  });

  it('when other programs are run, then their output comes back, and a missing one is ENOENT', async () => {
    expect(await runProgram(process.execPath, ['--version'])).toBe(process.version);
    await expect(runProgram('no-such-program-here', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('when two cluster workers share a port, then new connections are spread over both processes', async () => {
    const spread = await clusterSpread(2, 10);
    expect(spread.size).toBe(2);
    expect([...spread.keys()]).not.toContain(process.pid);
    expect([...spread.values()].reduce((a, b) => a + b, 0)).toBe(10);
  });
});

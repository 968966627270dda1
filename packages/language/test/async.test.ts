import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { cancelFetch, cancelFirstOf, cancelPipeline, cancelTimer } from '../src/async/cancel';
import { compareCombinators } from '../src/async/combinators';
import { countInFlight, mapWithLimit } from '../src/async/pool';
import { nameWithAwait, nameWithCallback, nameWithPromise } from '../src/async/styles';
import { scenarios } from '../src/async/unhandled';

const packageJson = path.join(__dirname, '..', 'package.json');

describe('lesson 2: asynchronous code', () => {
  it('when the same file is read with a callback, a promise and await, then all three agree, and all three report a missing file', async () => {
    const viaCallback = await new Promise<string | undefined>((resolve, reject) =>
      nameWithCallback(packageJson, (err, name) => (err ? reject(err) : resolve(name))),
    );
    expect(viaCallback).toBe('@roadmap/language');
    expect(await nameWithPromise(packageJson)).toBe('@roadmap/language');
    expect(await nameWithAwait(packageJson)).toBe('@roadmap/language');

    const missing = path.join(__dirname, 'no-such-file.json');
    const callbackError = await new Promise<Error | null>((resolve) =>
      nameWithCallback(missing, (err) => resolve(err)),
    );
    expect(callbackError).toMatchObject({ code: 'ENOENT' });
    await expect(nameWithPromise(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(nameWithAwait(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('when the combinators run over fast, broken and slow tasks, then each settles as specified', async () => {
    expect(await compareCombinators()).toEqual({
      'Promise.all': { rejected: 'broken failed' },
      'Promise.allSettled': { fulfilled: ['fulfilled', 'rejected', 'fulfilled'] },
      'Promise.race': { fulfilled: 'fast' },
      'Promise.any': { fulfilled: 'fast' },
      'Promise.any (all fail)': { rejected: 'AggregateError of 2' },
    });
  });

  it('when 12 calls go through mapWithLimit(3) or p-limit(3), then never more than 3 run at once and results keep their order', async () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const ours = countInFlight(async (i: number) => (await sleep(5 + (i % 3) * 5), i * 10));
    expect(await mapWithLimit(items, 3, ours)).toEqual(items.map((i) => i * 10));
    expect(ours.peak).toBe(3);

    const limit = pLimit(3);
    const theirs = countInFlight(async (i: number) => (await sleep(5 + (i % 3) * 5), i * 10));
    expect(await Promise.all(items.map((i) => limit(() => theirs(i))))).toEqual(
      items.map((i) => i * 10),
    );
    expect(theirs.peak).toBe(3);
  });

  it('when one call fails, then mapWithLimit rejects with its error and starts no further calls', async () => {
    const started: number[] = [];
    const result = mapWithLimit([0, 1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      started.push(i);
      await sleep(5);
      if (i === 1) throw new Error('call 1 failed');
      return i;
    });
    await expect(result).rejects.toThrow('call 1 failed');
    await sleep(30);
    // 0 and 1 ran together; 1's failure stops its worker, 0's worker may take one more item.
    expect(started.length).toBeLessThanOrEqual(3);
    await expect(mapWithLimit([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });

  it('when a timer, a fetch and a pipeline are aborted, then each rejects with the abort and lets go of what it held', async () => {
    expect(await cancelTimer(20)).toEqual({
      what: 'timers/promises setTimeout',
      error: 'AbortError',
      cause: 'TimeoutError',
      cleanedUp: true,
    });
    expect(await cancelFetch(200)).toEqual({
      what: 'fetch',
      error: 'TimeoutError',
      cleanedUp: true,
    });
    expect(await cancelPipeline(5)).toMatchObject({
      what: 'stream pipeline',
      error: 'AbortError',
      cleanedUp: true,
      written: 5,
    });
  });

  it('when AbortSignal.any combines a user signal and a deadline, then whichever fires first wins', async () => {
    expect(await cancelFirstOf(10, 2_000)).toBe('the user pressed cancel');
    expect(await cancelFirstOf(2_000, 10)).toBe('the deadline passed');
  });

  it('when a rejection goes unhandled, then node exits 1 by default, and lives on with a handler or in warn mode', async () => {
    const byDefault = await scenarios['no handler (default)']();
    expect(byDefault.exitCode).toBe(1);
    expect(byDefault.stderr).toContain('Error: nobody awaited me');
    expect(byDefault.stdout).not.toContain('still running');

    const handled = await scenarios["process.on('unhandledRejection')"]();
    expect(handled).toMatchObject({ exitCode: 0 });
    expect(handled.stdout.split('\n')).toEqual([
      'handler saw: nobody awaited me',
      'still running 50 ms later',
      '',
    ]);

    const warned = await scenarios['--unhandled-rejections=warn']();
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toContain('UnhandledPromiseRejectionWarning: Error: nobody awaited me');
    expect(warned.stdout).toContain('still running 50 ms later');
  });
});

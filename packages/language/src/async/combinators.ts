import { setTimeout as sleep } from 'node:timers/promises';

export type Outcome = { fulfilled: unknown } | { rejected: string };

const task = async (label: string, ms: number, fails = false): Promise<string> => {
  await sleep(ms);
  if (fails) throw new Error(`${label} failed`);
  return label;
};

const settle = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (value) => ({ fulfilled: value }),
    (err: Error) => ({
      rejected:
        err instanceof AggregateError ? `AggregateError of ${err.errors.length}` : err.message,
    }),
  );

/**
 * The four combinators on the same three tasks: "fast" (10 ms), "broken" (fails at 20 ms) and
 * "slow" (30 ms). Fresh tasks for each, so one combinator's timing does not leak into another.
 */
export async function compareCombinators(): Promise<Record<string, Outcome>> {
  const tasks = () => [task('fast', 10), task('broken', 20, true), task('slow', 30)];
  const allFail = () => [task('a', 10, true), task('b', 20, true)];
  return {
    'Promise.all': await settle(Promise.all(tasks())),
    'Promise.allSettled': await settle(
      Promise.allSettled(tasks()).then((results) => results.map((r) => r.status)),
    ),
    'Promise.race': await settle(Promise.race(tasks())),
    'Promise.any': await settle(Promise.any(tasks())),
    'Promise.any (all fail)': await settle(Promise.any(allFail())),
  };
}

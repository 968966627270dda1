import { readFile } from 'node:fs';
import { readFile as readFilePromise } from 'node:fs/promises';
import { promisify } from 'node:util';

// The same task three ways: read a package.json and return its "name".

/** 1. Callbacks: the result and the error arrive as arguments, error first. */
export function nameWithCallback(file: string, done: (err: Error | null, name?: string) => void) {
  readFile(file, 'utf8', (err, text) => {
    if (err) return done(err);
    try {
      done(null, (JSON.parse(text) as { name: string }).name);
    } catch (parseError) {
      // Why: a throw here would escape to the event loop, not to the caller.
      done(parseError as Error);
    }
  });
}

/** 2. Promises: a value that settles later; `.then` chains, one `.catch` covers the chain. */
export function nameWithPromise(file: string): Promise<string> {
  return promisify(readFile)(file, 'utf8').then(
    (text) => (JSON.parse(text) as { name: string }).name,
  );
}

/** 3. async/await: promises again, written like sequential code; try/catch covers both steps. */
export async function nameWithAwait(file: string): Promise<string> {
  const text = await readFilePromise(file, 'utf8');
  return (JSON.parse(text) as { name: string }).name;
}

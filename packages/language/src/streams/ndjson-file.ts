import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface FileFacts {
  bytes: number;
  lines: number;
  /** The sum of every record's `favorites`: what a reader must arrive at too. */
  favoritesTotal: number;
  /** How often `write()` returned false and the writer waited for 'drain'. */
  drainWaits: number;
}

/** One article per line, ~200 bytes, in the shape of the Conduit domain. */
export function articleLine(n: number): string {
  return (
    JSON.stringify({
      id: n,
      slug: `how-to-train-your-dragon-${n}`,
      author: `user-${n % 1000}`,
      tags: ['dragons', n % 2 ? 'training' : 'flying'],
      favorites: n % 97,
      body: 'It takes a Jacobian and some patience. '.repeat(2),
    }) + '\n'
  );
}

/**
 * Writes NDJSON lines until the file reaches `targetBytes`, honouring backpressure: when
 * `write()` returns false the stream's buffer is full, and the writer waits for 'drain'
 * instead of piling the rest of the file into memory.
 */
export async function writeNdjson(file: string, targetBytes: number): Promise<FileFacts> {
  const out = createWriteStream(file);
  const facts: FileFacts = { bytes: 0, lines: 0, favoritesTotal: 0, drainWaits: 0 };
  let batch = '';
  while (facts.bytes < targetBytes) {
    const line = articleLine(facts.lines);
    batch += line;
    facts.bytes += Buffer.byteLength(line);
    facts.favoritesTotal += facts.lines % 97;
    facts.lines++;
    // Why batch: one write() per ~64 KB instead of per line keeps the generator fast.
    if (batch.length >= 64 * 1024 || facts.bytes >= targetBytes) {
      if (!out.write(batch)) {
        facts.drainWaits++;
        await once(out, 'drain');
      }
      batch = '';
    }
  }
  out.end();
  await once(out, 'finish');
  return facts;
}

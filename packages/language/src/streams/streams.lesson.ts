import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readConfig } from '../config';
import { runScript } from '../run-node';
import { produce } from './backpressure';
import { writeNdjson } from './ndjson-file';
import { NdjsonParse } from './ndjson-parse';
import { webStreamsRoundTrip } from './web-streams';

const MB = 1024 * 1024;
const childFile = path.join(__dirname, `peak-rss.child${path.extname(__filename)}`);

export interface PeakRss {
  lines: number;
  favoritesTotal: number;
  peakRssBytes: number;
  /** The most JS heap + Buffer memory the program held at once (sampled every 5 ms). */
  peakHeldBytes: number;
}

/** Reads `file` one way in a fresh process and returns what it found and its peak RSS. */
export async function measurePeakRss(mode: 'streaming' | 'whole', file: string): Promise<PeakRss> {
  // Why cap the streaming child's heap: on a busy machine V8 may put off collecting garbage and
  // let RSS grow although nothing is kept. With a 64 MB heap it must collect, and a reader that
  // really held the file would die of "heap out of memory" instead of passing by luck.
  const flags = mode === 'streaming' ? ['--max-old-space-size=64', '--max-semi-space-size=4'] : [];
  const { exitCode, stdout, stderr } = await runScript(childFile, [mode, file], { flags });
  if (exitCode !== 0) throw new Error(`peak-rss child (${mode}) failed: ${stderr}`);
  return JSON.parse(stdout) as PeakRss;
}

export async function run(): Promise<void> {
  const { fileMb } = readConfig();
  const dir = await mkdtemp(path.join(tmpdir(), 'language-streams-'));
  try {
    const file = path.join(dir, 'articles.ndjson');
    let started = performance.now();
    const facts = await writeNdjson(file, fileMb * MB);
    console.log(
      `Generated ${file}: ${(facts.bytes / MB).toFixed(0)} MB, ${facts.lines} lines, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  the writer honoured backpressure: it waited for 'drain' ${facts.drainWaits} times\n`,
    );

    console.log(
      'Reading it, each way in a fresh process (peak RSS = the most memory it ever held):',
    );
    const empty = path.join(dir, 'empty.ndjson');
    await writeFile(empty, '');
    const rows: Array<[string, 'streaming' | 'whole', string]> = [
      ['baseline: stream an empty file', 'streaming', empty],
      ['pipeline + Transform, for await', 'streaming', file],
      ['readFile + split, all in memory', 'whole', file],
    ];
    console.log(
      `  ${'way'.padEnd(34)}${'lines'.padStart(9)}${'favorites'.padStart(11)}${'peak RSS'.padStart(10)}   time`,
    );
    for (const [label, mode, target] of rows) {
      started = performance.now();
      const result = await measurePeakRss(mode, target);
      console.log(
        `  ${label.padEnd(34)}${String(result.lines).padStart(9)}${String(result.favoritesTotal).padStart(11)}${`${(result.peakRssBytes / MB).toFixed(0)} MB`.padStart(10)}   ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    console.log(`  expected: ${facts.lines} lines, ${facts.favoritesTotal} favorites`);

    console.log('\nObject mode: what a buffer counts');
    const parser = new NdjsonParse();
    const bytesIn = createReadStream(file);
    console.log(
      `  fs.createReadStream         readableHighWaterMark ${bytesIn.readableHighWaterMark} (bytes)`,
    );
    console.log(
      `  NdjsonParse, readable side  readableHighWaterMark ${parser.readableHighWaterMark} (objects), objectMode ${parser.readableObjectMode}`,
    );
    bytesIn.destroy();
    parser.destroy();

    console.log('\nBackpressure: 1000 × 1 KB written into a slow 16 KB-buffered writable');
    for (const honour of [true, false]) {
      const r = await produce(honour);
      console.log(
        `  ${honour ? 'waits for drain' : "ignores write()'s false"}`.padEnd(26) +
          `  most bytes buffered at once: ${String(r.maxBuffered).padStart(7)}  (waited ${r.drainWaits} times)`,
      );
    }

    console.log(
      '\nWeb streams interop on the first 1 MB: Readable.toWeb → TextDecoderStream → lines → Readable.fromWeb → gzip',
    );
    const web = await webStreamsRoundTrip(file, MB);
    console.log(
      `  ${web.lines} lines (the last one cut short by the 1 MB limit), gzipped to ${(web.gzippedBytes / 1024).toFixed(0)} KB`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    console.log(`\nDeleted ${dir}.`);
  }
}

import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { produce } from '../src/streams/backpressure';
import { type FileFacts, writeNdjson } from '../src/streams/ndjson-file';
import { NdjsonParse } from '../src/streams/ndjson-parse';
import { measurePeakRss } from '../src/streams/streams.lesson';
import { webStreamsRoundTrip } from '../src/streams/web-streams';

const MB = 1024 * 1024;
const STREAMING_BOUND = 128 * MB;

async function parseChunks(chunks: Buffer[]): Promise<unknown[]> {
  const out: unknown[] = [];
  await pipeline(
    Readable.from(chunks),
    new NdjsonParse(),
    async (records: AsyncIterable<unknown>) => {
      for await (const record of records) out.push(record);
    },
  );
  return out;
}

describe('lesson 3: streams and backpressure', () => {
  let dir: string;
  let file: string;
  let facts: FileFacts;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'language-streams-test-'));
    file = path.join(dir, 'articles.ndjson');
    facts = await writeNdjson(file, 200 * MB);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('when a 200 MB file is generated, then it has that size and the writer waited for drain', () => {
    expect(facts.bytes).toBeGreaterThanOrEqual(200 * MB);
    expect(facts.lines).toBeGreaterThan(900_000);
    expect(facts.drainWaits).toBeGreaterThan(0);
  });

  it('when the 200 MB file is streamed through the parser, then every record is counted and the memory it holds stays far below the file size', async () => {
    const result = await measurePeakRss('streaming', file);
    expect(result).toMatchObject({ lines: facts.lines, favoritesTotal: facts.favoritesTotal });
    // What the program held (heap + Buffers), not RSS: on a machine busy with the whole test
    // suite, RSS has been seen to keep freed memory (370 MB); what is held cannot lie that way.
    // A reader that held the file would need more than 200 MB.
    expect(result.peakHeldBytes).toBeLessThan(STREAMING_BOUND);
  });

  it('when a file a quarter of the size is read whole, then that alone takes more memory than streaming the 200 MB file', async () => {
    const quarter = path.join(dir, 'quarter.ndjson');
    const quarterFacts = await writeNdjson(quarter, 50 * MB);
    const whole = await measurePeakRss('whole', quarter);
    expect(whole).toMatchObject({
      lines: quarterFacts.lines,
      favoritesTotal: quarterFacts.favoritesTotal,
    });
    // The bytes, then the string, on top of Node itself: above the bound that the streaming
    // reader of a file four times larger stays under.
    expect(whole.peakRssBytes).toBeGreaterThan(STREAMING_BOUND);
  });

  it('when chunks split a line and even a UTF-8 character, then the parser still yields whole objects', async () => {
    const text = '{"title":"Crème brûlée"}\n{"title":"日本語"}\n{"title":"last, no newline"}';
    const oneByteChunks = [...Buffer.from(text)].map((byte) => Buffer.from([byte]));
    expect(await parseChunks(oneByteChunks)).toEqual([
      { title: 'Crème brûlée' },
      { title: '日本語' },
      { title: 'last, no newline' },
    ]);
  });

  it('when a line is not JSON, then the pipeline rejects with the parse error', async () => {
    await expect(parseChunks([Buffer.from('{"ok":1}\n{oops}\n')])).rejects.toThrow(SyntaxError);
  });

  it('when a producer honours write() returning false, then the buffer stays at the high-water mark; when it ignores it, everything is buffered', async () => {
    const honoured = await produce(true, 1000, 1024);
    expect(honoured.maxBuffered).toBeLessThanOrEqual(honoured.highWaterMark + 1024);
    expect(honoured.drainWaits).toBeGreaterThan(0);

    const ignored = await produce(false, 1000, 1024);
    expect(ignored.maxBuffered).toBe(1000 * 1024);
    expect(ignored.drainWaits).toBe(0);
  });

  it('when the file goes through web streams and back into a Node pipeline, then every line arrives', async () => {
    const handle = await open(file);
    const head = Buffer.alloc(MB);
    await handle.read(head, 0, MB, 0);
    await handle.close();
    const newlines = head.toString('utf8').split('\n').length - 1;

    const result = await webStreamsRoundTrip(file, MB);
    // Every complete line, plus the one the 1 MB limit cut short.
    expect(result.lines).toBe(newlines + 1);
    expect(result.gzippedBytes).toBeGreaterThan(0);
    expect(result.gzippedBytes).toBeLessThan(MB);
  });

  it('when the parser ends on an empty file, then it yields nothing', async () => {
    const empty = path.join(dir, 'empty.ndjson');
    await writeFile(empty, '');
    expect(await measurePeakRss('streaming', empty)).toMatchObject({ lines: 0, favoritesTotal: 0 });
  });
});

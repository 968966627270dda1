import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * Bytes in, one parsed object per line out. Chunks end anywhere — mid-line, even mid-character
 * — so the decoder holds back partial UTF-8 sequences and `rest` holds back the partial line.
 * The readable side is in object mode: its buffer counts objects (16 by default), not bytes.
 */
export class NdjsonParse extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    const lines = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = lines.pop() ?? '';
    try {
      for (const line of lines) if (line) this.push(JSON.parse(line));
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback) {
    const last = this.rest + this.decoder.end();
    try {
      if (last.trim()) this.push(JSON.parse(last));
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }
}

export interface Summary {
  lines: number;
  favoritesTotal: number;
}

/** Streams the file through the parser, reading the objects with `for await`. */
export async function summarizeStreaming(file: string): Promise<Summary> {
  const summary: Summary = { lines: 0, favoritesTotal: 0 };
  await pipeline(
    createReadStream(file),
    new NdjsonParse(),
    async (records: AsyncIterable<{ favorites: number }>) => {
      for await (const record of records) {
        summary.lines++;
        summary.favoritesTotal += record.favorites;
      }
    },
  );
  return summary;
}

/** The naive way: the whole file in memory as one string, then split. */
export async function summarizeWhole(file: string): Promise<Summary> {
  const text = await readFile(file, 'utf8');
  const summary: Summary = { lines: 0, favoritesTotal: 0 };
  for (const line of text.split('\n')) {
    if (!line) continue;
    summary.lines++;
    summary.favoritesTotal += (JSON.parse(line) as { favorites: number }).favorites;
  }
  return summary;
}

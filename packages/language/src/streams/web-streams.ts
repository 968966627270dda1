import { createReadStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** A WHATWG TransformStream: text in, one line out per line (the partial last line held back). */
export function lineSplitter(): TransformStream<string, string> {
  let rest = '';
  return new TransformStream<string, string>({
    transform(text, controller) {
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) controller.enqueue(line);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}

/**
 * The same file through web streams (the API of browsers, fetch and Deno) and back: a Node
 * stream becomes a web `ReadableStream` with `Readable.toWeb`, is decoded and split by web
 * transforms, and the lines go back into a Node pipeline with `Readable.fromWeb` to be gzipped.
 */
export async function webStreamsRoundTrip(
  file: string,
  bytes: number,
): Promise<{ lines: number; gzippedBytes: number }> {
  const nodeSource = createReadStream(file, { start: 0, end: bytes - 1 });
  const lines = (Readable.toWeb(nodeSource) as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(lineSplitter());
  let count = 0;
  const counted = lines.pipeThrough(
    new TransformStream<string, string>({
      transform(line, controller) {
        count++;
        controller.enqueue(line + '\n');
      },
    }),
  );
  let gzippedBytes = 0;
  await pipeline(
    Readable.fromWeb(counted),
    createGzip(),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        gzippedBytes += chunk.length;
        callback();
      },
    }),
  );
  return { lines: count, gzippedBytes };
}

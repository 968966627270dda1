import { once } from 'node:events';
import { Writable } from 'node:stream';

export interface BufferReport {
  honoured: boolean;
  highWaterMark: number;
  /** The most bytes ever waiting in the writable's buffer. */
  maxBuffered: number;
  drainWaits: number;
}

/**
 * A fast producer (1 KB chunks, `total` of them) and a slow consumer (one chunk per loop turn).
 * When the producer honours `write()`'s return value, the buffer stays near the high-water
 * mark; when it ignores it, everything it produced ends up buffered in memory.
 */
export async function produce(
  honour: boolean,
  total = 1000,
  chunkSize = 1024,
): Promise<BufferReport> {
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(_chunk, _encoding, callback) {
      setImmediate(callback);
    },
  });
  const chunk = Buffer.alloc(chunkSize, 'x');
  const report: BufferReport = {
    honoured: honour,
    highWaterMark: sink.writableHighWaterMark,
    maxBuffered: 0,
    drainWaits: 0,
  };
  for (let i = 0; i < total; i++) {
    const hasRoom = sink.write(chunk);
    report.maxBuffered = Math.max(report.maxBuffered, sink.writableLength);
    if (!hasRoom && honour) {
      report.drainWaits++;
      await once(sink, 'drain');
    }
  }
  sink.end();
  await once(sink, 'finish');
  return report;
}

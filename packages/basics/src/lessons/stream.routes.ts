import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../http/http-error';
import { type Router } from '../http/router';

/**
 * Lesson: a streamed response. With no Content-Length, Node sends the body with
 * `Transfer-Encoding: chunked`: each write goes out as `<size in hex>\r\n<bytes>\r\n`, and a
 * zero-size chunk ends it. The client can use the first chunk before the last one exists —
 * the basis of progress output, server-sent events and large downloads.
 */
export function registerStreamRoutes(router: Router): void {
  router.on('GET', '/stream', async ({ res, url }) => {
    const chunks = intParam(url, 'chunks', 5, 1, 20);
    const delay = intParam(url, 'delay', 300, 0, 2000);
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      // Why: without it some browsers buffer a text/plain body to sniff its type first.
      'X-Content-Type-Options': 'nosniff',
    });
    // Stop writing as soon as the client goes away instead of writing into a dead socket.
    // (`res` closes when the response is done or the connection dies, whichever is first.)
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      for (let i = 1; i <= chunks; i++) {
        if (i > 1) await sleep(delay, undefined, { signal: gone.signal });
        res.write(`chunk ${i} of ${chunks} at ${new Date().toISOString()}\n`);
      }
      res.end();
    } catch (err) {
      if (!gone.signal.aborted) throw err;
    }
  });
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

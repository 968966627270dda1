import { sendJson } from '../http/respond';
import { type Router } from '../http/router';

/**
 * Lesson: headers are the metadata of every request and response. This route echoes what
 * arrived — in order and with the client's spelling (`rawHeaders`), and as Node normalises
 * them (`headers`: lower-case names, duplicates joined) — and sets a few response headers.
 */
export function registerHeaderRoutes(router: Router): void {
  router.on('GET', '/headers', ({ req, res }) => {
    const raw: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
      raw.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    sendJson(
      res,
      200,
      {
        requestLine: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
        rawHeaders: raw,
        headers: req.headers,
        notes: [
          'Header names are case-insensitive; Node lower-cases them in req.headers.',
          'Host is the only header HTTP/1.1 requires; it picks the site on a shared IP.',
          'Custom headers no longer need an X- prefix (RFC 6648), but many still use it.',
        ],
      },
      {
        // Response headers worth knowing: what the body is, how to cache it, how long it took.
        'Cache-Control': 'no-store',
        'X-Lesson': 'headers',
        'Server-Timing': 'app;desc="handler";dur=0.1',
        // Why: stops browsers from guessing ("sniffing") a different type than the one declared.
        'X-Content-Type-Options': 'nosniff',
      },
    );
  });
}

import { HttpError } from '../http/http-error';
import { isJsonType, mediaType, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: a request body is just bytes; `Content-Type` says how to read them. This route
 * parses three formats by hand — what `express.json()` and `express.urlencoded()` do inside —
 * and refuses bodies over the limit with 413 (see ../http/body.ts for how).
 */
export function registerBodyRoutes(router: Router, settings: Settings): void {
  router.on(['POST', 'PUT'], '/body/echo', async ({ req, res }) => {
    const type = mediaType(req);
    const parse = parserFor(type);
    const bytes = await readBody(req, settings.maxBodyBytes);
    sendJson(res, 200, {
      contentType: req.headers['content-type'] ?? null,
      // Either the client announced the size, or it streamed chunks and we counted.
      framing:
        req.headers['content-length'] !== undefined
          ? 'Content-Length'
          : 'Transfer-Encoding: chunked',
      receivedBytes: bytes.length,
      limitBytes: settings.maxBodyBytes,
      parsed: parse(bytes),
    });
  });
}

function parserFor(type: string): (bytes: Buffer) => unknown {
  if (isJsonType(type)) {
    return (bytes) => {
      try {
        return JSON.parse(bytes.toString('utf8')) as unknown;
      } catch (err) {
        throw new HttpError(400, 'body', `The body is not valid JSON: ${(err as Error).message}`);
      }
    };
  }
  // `a=1&b=two+words` — what an HTML <form> sends by default.
  if (type === 'application/x-www-form-urlencoded') {
    return (bytes) => Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
  }
  if (type === 'text/plain') return (bytes) => bytes.toString('utf8');
  // Why check before reading: no point receiving bytes we already know we cannot read.
  throw new HttpError(
    415,
    'body',
    `This route reads application/json, application/x-www-form-urlencoded and text/plain, not "${type || 'no Content-Type'}".`,
  );
}

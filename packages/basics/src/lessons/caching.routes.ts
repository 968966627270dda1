import { createHash } from 'node:crypto';
import { isNotModified } from '../http/conditional';
import { HttpError } from '../http/http-error';
import { readJson } from '../http/body';
import { sendEmpty, sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: HTTP caching and conditional requests.
 *
 * - `Cache-Control: no-cache` means "you may store it, but ask me before reusing it" (it does
 *   not mean "do not cache" — that is `no-store`).
 * - Asking is cheap: the client sends the validator it has (`If-None-Match: <ETag>` or
 *   `If-Modified-Since: <Last-Modified>`); if nothing changed the answer is `304 Not Modified`
 *   with no body, and the client reuses its copy.
 * - The same ETag protects writes: `PUT` with `If-Match: <ETag>` fails with 412 if someone
 *   else changed the resource in between (optimistic concurrency, no lost updates).
 */
interface Resource {
  text: string;
  lastModified: Date;
  etag: string;
}

function representation(resource: Resource): string {
  return (
    JSON.stringify({ text: resource.text, lastModified: resource.lastModified.toISOString() }) +
    '\n'
  );
}

function makeResource(text: string): Resource {
  // HTTP dates have one-second precision; keep the stored date on a whole second too.
  const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);
  const draft = { text, lastModified, etag: '' };
  // A strong ETag: a hash of the exact bytes we send, so it changes whenever they do.
  const hash = createHash('sha256').update(representation(draft)).digest('base64url').slice(0, 16);
  return { ...draft, etag: `"${hash}"` };
}

export function registerCachingRoutes(router: Router, settings: Settings): void {
  let resource = makeResource('The first version of a cacheable resource.');

  router.on('GET', '/cache/resource', ({ req, res }) => {
    const validators = {
      ETag: resource.etag,
      'Last-Modified': resource.lastModified.toUTCString(),
      'Cache-Control': 'no-cache',
    };
    if (isNotModified(req, resource.etag, resource.lastModified))
      return sendEmpty(res, 304, validators);
    const body = representation(resource);
    res.writeHead(200, {
      ...validators,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });

  router.on('PUT', '/cache/resource', async ({ req, res }) => {
    const ifMatch = req.headers['if-match'];
    if (
      ifMatch !== undefined &&
      ifMatch.trim() !== '*' &&
      !ifMatch.split(',').some((t) => t.trim() === resource.etag)
    ) {
      throw new HttpError(
        412,
        'if-match',
        `The resource changed since you read it (its ETag is now ${resource.etag}); GET it again.`,
      );
    }
    const body = await readJson(req, settings.maxBodyBytes);
    const text =
      typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
    if (typeof text !== 'string' || text.length === 0 || text.length > 500) {
      throw new HttpError(422, 'text', 'must be a string of 1 to 500 characters');
    }
    resource = makeResource(text);
    sendJson(res, 200, JSON.parse(representation(resource)), {
      ETag: resource.etag,
      'Last-Modified': resource.lastModified.toUTCString(),
    });
  });
}

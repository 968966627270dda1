import { hash } from 'node:crypto';

/**
 * A response body already serialised, with its weak ETag: what a cache hit can send as is.
 * Why: the cache stores JSON text; turning it into objects (JSON.parse) only for the HTTP layer
 * to turn them back into the same text (JSON.stringify) and hash it (the ETag) costs more Node
 * CPU than the rest of a cached read. Entry points that need objects (GraphQL, a viewer's
 * flags) still get objects from the services' other functions.
 */
export class JsonResponse {
  constructor(
    /** The response body, e.g. `{"article":{…}}`. */
    readonly json: string,
    /** The weak ETag Express computes for this body (same formula), so 304s work as before. */
    readonly etag: string,
  ) {}
}

/**
 * The ETag formula of Express (the `etag` package): weak, byte length in hex, then the first
 * 27 characters of the SHA-1 in base64. `crypto.hash` is the one-shot form: no Hash object per
 * call. The same body always gives the same tag whichever path produced it.
 */
export function weakEtag(body: string | Buffer): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${length.toString(16)}-${hash('sha1', body, 'base64').slice(0, 27)}"`;
}

export function jsonResponse(json: string, etag = weakEtag(json)): JsonResponse {
  return new JsonResponse(json, etag);
}

/**
 * Remembers the last body built from one cached text: a hot key's text rarely changes, so the
 * wrapping and hashing are done once per change, not once per request. Comparing the text to
 * the last one is a memory compare, far cheaper than a hash.
 */
export function lastResponseMemo(
  wrap: (cached: string) => string,
): (cached: string) => JsonResponse {
  let lastText: string | undefined;
  let last: JsonResponse | undefined;
  return (cached) => {
    if (cached !== lastText || !last) {
      last = jsonResponse(wrap(cached));
      lastText = cached;
    }
    return last;
  };
}

import { type IncomingMessage } from 'node:http';

/**
 * Is the client's cached copy still good? (RFC 9110 §13.) Used by the caching lesson and by
 * the static files. `If-None-Match` (ETag) wins over `If-Modified-Since` (date) when both are
 * present, because an ETag changes with every edit while a date only has one-second precision.
 */
export function isNotModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    // Weak comparison: W/"x" and "x" name the same representation for a GET.
    const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes(etag.replace(/^W\//, ''));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    // An unparseable date is ignored, as the spec says: the client simply gets a 200.
    if (Number.isNaN(since)) return false;
    return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

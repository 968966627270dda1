import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isNotModified } from '../http/conditional';
import { send, sendEmpty } from '../http/respond';
import { type Router } from '../http/router';

/**
 * The lesson page: plain HTML, CSS and JavaScript from ../../public, no build step.
 *
 * Why a fixed list read at start-up instead of joining the URL onto a folder: a path such as
 * `/../../etc/passwd` can then never reach the disk — only the files that were in the
 * folder are servable (the classic path-traversal bug cannot happen).
 */
export const PUBLIC_DIR = path.join(__dirname, '..', '..', 'public');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

// The page calls the CORS lesson on the *other* loopback name, so it must be allowed to.
const CSP = [
  "default-src 'self'",
  "connect-src 'self' http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:*",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  lastModified: Date;
}

export function registerStaticRoutes(router: Router, dir: string = PUBLIC_DIR): void {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = types[path.extname(name)];
    if (!type) continue;
    const full = path.join(dir, name);
    const body = readFileSync(full);
    files.set(name, {
      body,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
      lastModified: statSync(full).mtime,
    });
  }

  const serve = (name: string): Parameters<Router['on']>[2] => {
    const file = files.get(name)!;
    return ({ req, res }) => {
      const headers = {
        ETag: file.etag,
        'Last-Modified': file.lastModified.toUTCString(),
        // The page is small and changes while you edit it: always revalidate (cheap 304s).
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        ...(file.type.startsWith('text/html') ? { 'Content-Security-Policy': CSP } : {}),
      };
      if (isNotModified(req, file.etag, file.lastModified)) return sendEmpty(res, 304, headers);
      send(res, 200, file.body, { ...headers, 'Content-Type': file.type });
    };
  };

  if (files.has('index.html')) router.on('GET', '/', serve('index.html'));
  for (const name of files.keys()) router.on('GET', `/${name}`, serve(name));
  // Browsers ask for /favicon.ico on their own (before, or without, reading the <link>);
  // modern ones accept an SVG there, so no 404 shows up in the console.
  if (files.has('favicon.svg')) router.on('GET', '/favicon.ico', serve('favicon.svg'));
}

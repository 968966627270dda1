/**
 * Cookies are two plain headers. The browser sends `Cookie: a=1; b=2` (names and values
 * only); the server sets one cookie per `Set-Cookie` header, with attributes that tell the
 * browser how to treat it.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  // Why no prototype: a cookie named "__proto__" must stay a plain entry.
  const cookies = Object.create(null) as Record<string, string>;
  if (!header) return cookies;
  for (const pair of header.split(';').map((p) => p.trim())) {
    const index = pair.indexOf('=');
    if (index <= 0) continue;
    const name = pair.slice(0, index).trim();
    const raw = pair.slice(index + 1).trim();
    // Why: a hand-edited cookie with a bad %-escape must not crash the request.
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds until the browser forgets it; 0 deletes it now. Without it: a session cookie. */
  maxAge?: number;
  path?: string;
  /** Not readable from JavaScript (`document.cookie`): an injected script cannot steal it. */
  httpOnly?: boolean;
  /** Only sent over HTTPS. */
  secure?: boolean;
  /** Whether other sites' requests carry the cookie: the main defence against CSRF. */
  sameSite?: 'Strict' | 'Lax' | 'None';
}

export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  parts.push(`Path=${options.path ?? '/'}`);
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

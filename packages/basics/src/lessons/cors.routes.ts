import { HttpError } from '../http/http-error';
import { readJson } from '../http/body';
import { sendEmpty, sendJson } from '../http/respond';
import { type Context, type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: CORS (Cross-Origin Resource Sharing).
 *
 * A page from origin A (scheme + host + port) may *send* requests to origin B, but the
 * browser only lets the page *read* the answer if B says so with
 * `Access-Control-Allow-Origin`. CORS is enforced by the browser, not the server: curl
 * ignores all of it.
 *
 * "Non-simple" requests (a PUT, a JSON Content-Type, a custom header) are preceded by a
 * *preflight*: an automatic `OPTIONS` asking "may I?" with `Access-Control-Request-Method`
 * and `-Headers`. Only if the answer allows it does the browser send the real request.
 */
export type OriginPolicy = readonly string[] | ((origin: string) => boolean);

/** Default policy: any port on this machine, so the page works from localhost and 127.0.0.1. */
export const localhostOrigins: OriginPolicy = (origin) =>
  /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/.test(origin);

const ALLOWED_METHODS = 'GET, PUT';
const ALLOWED_HEADERS = 'Content-Type, X-Lesson';

interface Preflight {
  at: string;
  origin: string;
  requestMethod: string;
  requestHeaders: string | null;
  allowed: boolean;
}

export function registerCorsRoutes(router: Router, settings: Settings): void {
  let message = 'Hello, other origin.';
  let lastPreflight: Preflight | null = null;

  const isAllowed = (origin: string): boolean => {
    const policy = settings.corsOrigins;
    return typeof policy === 'function' ? policy(origin) : policy.includes(origin);
  };

  /** The headers a cross-origin response needs so that the page may read it. */
  const corsHeaders = ({ req }: Context): Record<string, string> => {
    const origin = req.headers.origin;
    // Why Vary: the answer differs per Origin; a shared cache must not reuse one origin's
    // permission for another.
    if (origin === undefined || !isAllowed(origin)) return { Vary: 'Origin' };
    return {
      Vary: 'Origin',
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'X-Lesson', // which response headers page JS may read
    };
  };

  router.on('OPTIONS', '/cors/data', (ctx) => {
    const { req, res } = ctx;
    const origin = req.headers.origin;
    const requestMethod = req.headers['access-control-request-method'];
    if (origin === undefined || requestMethod === undefined) {
      // Not a preflight, just a client asking what the URL supports.
      return sendEmpty(res, 204, { Allow: 'GET, HEAD, OPTIONS, PUT' });
    }
    const allowed = isAllowed(origin);
    lastPreflight = {
      at: new Date().toISOString(),
      origin,
      requestMethod,
      requestHeaders: req.headers['access-control-request-headers'] ?? null,
      allowed,
    };
    if (!allowed) {
      throw new HttpError(403, 'origin', `The origin ${origin} may not call this API.`, {
        Vary: 'Origin',
      });
    }
    sendEmpty(res, 204, {
      ...corsHeaders(ctx),
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      // The browser may skip the preflight for 10 minutes after this answer.
      'Access-Control-Max-Age': '600',
    });
  });

  router.on('GET', '/cors/data', (ctx) => {
    // A disallowed origin still gets the data here — the *browser* then hides it from the
    // page. That is why CORS is no access control: protect data with authentication.
    sendJson(
      ctx.res,
      200,
      { message, origin: ctx.req.headers.origin ?? null },
      { ...corsHeaders(ctx), 'X-Lesson': 'cors' },
    );
  });

  router.on('PUT', '/cors/data', async (ctx) => {
    const body = await readJson(ctx.req, settings.maxBodyBytes);
    const text =
      typeof body === 'object' && body !== null
        ? (body as { message?: unknown }).message
        : undefined;
    if (typeof text !== 'string' || text.length === 0 || text.length > 200) {
      throw new HttpError(422, 'message', 'must be a string of 1 to 200 characters');
    }
    message = text;
    sendJson(
      ctx.res,
      200,
      { message, origin: ctx.req.headers.origin ?? null },
      { ...corsHeaders(ctx), 'X-Lesson': 'cors' },
    );
  });

  // The browser hides the preflight from page scripts; this shows what the server saw.
  router.on('GET', '/cors/last-preflight', ({ res }) => {
    sendJson(res, 200, { preflight: lastPreflight }, { 'Cache-Control': 'no-store' });
  });
}

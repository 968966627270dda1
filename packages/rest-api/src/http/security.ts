import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's defaults (CSP, HSTS, nosniff, frame-ancestors…). Its default CSP already fits
 * Swagger UI as swagger-ui-express serves it: scripts come from our own origin ('self'), styles
 * are inline ('unsafe-inline' is in helmet's style-src) and the icons are data: images.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      // Why off: served over plain http on a LAN address, this directive makes browsers fetch
      // Swagger UI's own scripts over https, which fails. TLS belongs to the proxy in front.
      directives: { upgradeInsecureRequests: null },
    },
  });
}

/**
 * CORS for browser front ends on another origin.
 * - `*` (the default): any origin may call the API with a token in the Authorization header;
 *   no cookies cross origins, so the session cannot be ridden from another site.
 * - a list: only those origins, and with credentials, so a same-site front end can use the
 *   session cookie too.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  return cors({
    origin: any ? '*' : [...origins],
    credentials: !any,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Request-Id',
      'If-None-Match',
      'X-CSRF-Token',
    ],
    exposedHeaders: [
      'ETag',
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ],
    maxAge: 600,
  });
}

/** The headers a middleware sets (and removes) when it depends on nothing in the request. */
interface HeaderBlock {
  set: [name: string, value: string | number | readonly string[]][];
  removed: string[];
}

/**
 * Runs `middleware` once against a stand-in response and keeps what it did to the headers, or
 * null when it did anything else (read a header back, answered, called next later or with an
 * error): then it is not a fixed block and must keep running per request.
 */
function recordHeaders(middleware: RequestHandler, req: Partial<Request>): HeaderBlock | null {
  const block: HeaderBlock = { set: [], removed: [] };
  let fixed = true;
  let passed = false;
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      block.set.push([name, value]);
      return res;
    },
    removeHeader(name: string) {
      block.removed.push(name);
    },
    getHeader() {
      fixed = false;
    },
    end() {
      fixed = false;
    },
  };
  try {
    void middleware(req as Request, res as unknown as Response, (error?: unknown) => {
      passed = error === undefined;
    });
  } catch {
    return null;
  }
  return fixed && passed ? block : null;
}

/**
 * The security headers (helmet) and, for any request but a preflight, the CORS headers, as one
 * middleware that sets a block of headers computed once at start-up. Why: helmet and cors
 * rebuild the same ~15 headers for every request (option objects, arrays, closures) although
 * with this configuration none of them depends on the request. helmet and cors stay the source
 * of truth: the block is what they set when run once, so the response carries exactly the same
 * headers. With a list of origins, CORS depends on the request's Origin and cors runs as
 * before; a preflight (OPTIONS) always goes through cors.
 */
export function edgeHeaders(origins: readonly string[]): RequestHandler {
  const security = securityHeaders();
  const cors = corsPolicy(origins);
  const securityBlock = recordHeaders(security, { method: 'GET', headers: {} });
  const corsBlock = origins.includes('*')
    ? recordHeaders(cors, { method: 'GET', headers: {} })
    : null;
  if (!securityBlock) return chain(security, cors);
  const { removed } = securityBlock;
  const base = securityBlock.set;
  const full = corsBlock && corsBlock.removed.length === 0 ? [...base, ...corsBlock.set] : null;
  return (req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    if (full && req.method !== 'OPTIONS') {
      for (const [name, value] of full) res.setHeader(name, value);
      next();
      return;
    }
    for (const [name, value] of base) res.setHeader(name, value);
    cors(req, res, next);
  };
}

function chain(first: RequestHandler, second: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void first(req, res, (error?: unknown) => {
      if (error !== undefined) next(error);
      else void second(req, res, next);
    });
  };
}

/**
 * Conditional GET: Express already computes a weak ETag for every JSON body and answers 304
 * when If-None-Match matches. What it cannot know is that our bodies depend on *who* asks
 * (favorited, following), so we say so: Vary on Authorization and Cookie, private when
 * authenticated, and no-cache = "store it, but ask me (cheaply, with the ETag) before reuse".
 */
export const cacheHeaders: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    // Why the test: with no Vary yet (CORS with `*` sets none), the header is known; res.vary()
    // parses and merges what is there, which only a list of origins (Vary: Origin) needs.
    if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Authorization, Cookie');
    else {
      res.vary('Authorization');
      res.vary('Cookie');
    }
    const personal = req.headers.authorization !== undefined || req.headers.cookie !== undefined;
    res.setHeader('Cache-Control', personal ? 'private, no-cache' : 'no-cache');
  } else {
    res.setHeader('Cache-Control', 'no-store');
  }
  next();
};

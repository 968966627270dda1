import cors from 'cors';
import type { RequestHandler } from 'express';
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

/**
 * Conditional GET: Express already computes a weak ETag for every JSON body and answers 304
 * when If-None-Match matches. What it cannot know is that our bodies depend on *who* asks
 * (favorited, following), so we say so: Vary on Authorization and Cookie, private when
 * authenticated, and no-cache = "store it, but ask me (cheaply, with the ETag) before reuse".
 */
export const cacheHeaders: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.vary('Authorization');
    res.vary('Cookie');
    const personal = req.get('authorization') !== undefined || req.get('cookie') !== undefined;
    res.setHeader('Cache-Control', personal ? 'private, no-cache' : 'no-cache');
  } else {
    res.setHeader('Cache-Control', 'no-store');
  }
  next();
};

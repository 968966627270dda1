import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import { type Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { HttpError, errorBody } from './http/http-error';
import { createLogger, type Logger } from './http/logger';
import { sendEmpty, sendJson } from './http/respond';
import { Router } from './http/router';
import { type Settings } from './settings';
import { registerBodyRoutes } from './lessons/body.routes';
import { registerCachingRoutes } from './lessons/caching.routes';
import { registerCookieRoutes } from './lessons/cookies.routes';
import { registerCorsRoutes, localhostOrigins, type OriginPolicy } from './lessons/cors.routes';
import { registerDnsRoutes } from './lessons/dns.routes';
import { registerHeaderRoutes } from './lessons/headers.routes';
import { registerMethodRoutes } from './lessons/methods.routes';
import { registerNegotiationRoutes } from './lessons/negotiation.routes';
import { registerRedirectRoutes } from './lessons/redirects.routes';
import { registerStaticRoutes } from './lessons/static.routes';
import { registerStatusRoutes } from './lessons/status.routes';
import { registerStreamRoutes } from './lessons/stream.routes';
import { registerTlsRoutes } from './lessons/tls.routes';

export interface AppOptions {
  /** Largest request body the server reads, in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Which browser origins may call /cors/* (default: any http(s)://localhost|127.0.0.1 port). */
  corsOrigins?: OriginPolicy;
  /** Used in hints such as "try https://localhost:8443/tls". */
  httpsPort?: number;
  logger?: Logger;
}

export interface App {
  listener: RequestListener;
  /** For requests with `Expect: 100-continue` (see `checkContinue` below). */
  continueListener: RequestListener;
  logger: Logger;
}

/**
 * Build the request handler: every lesson registers its routes on one router. Each call
 * returns fresh in-memory state, so every test gets its own app.
 */
export function buildApp(options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger();
  const settings: Settings = {
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024,
    corsOrigins: options.corsOrigins ?? localhostOrigins,
    httpsPort: options.httpsPort ?? 8443,
  };
  const router = new Router();
  router.on('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  registerStaticRoutes(router);
  registerMethodRoutes(router, settings);
  registerStatusRoutes(router);
  registerHeaderRoutes(router);
  registerNegotiationRoutes(router);
  registerCachingRoutes(router, settings);
  registerCookieRoutes(router, settings);
  registerRedirectRoutes(router, settings);
  registerCorsRoutes(router, settings);
  registerStreamRoutes(router);
  registerBodyRoutes(router, settings);
  registerTlsRoutes(router, settings);
  registerDnsRoutes(router);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    res.on('finish', () => {
      logger.info('request', {
        method: req.method,
        url: req.url,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    try {
      const url = parseRequestUrl(req.url);
      const method = req.method ?? 'GET';
      const match = router.match(method, url.pathname);
      switch (match.kind) {
        case 'found':
          await match.handler({
            req,
            res,
            url,
            params: match.params,
            secure: req.socket instanceof TLSSocket,
          });
          return;
        case 'method-not-allowed':
          // Why: OPTIONS is how a client asks "what can I do here?" — answer it for every path.
          if (method === 'OPTIONS') return sendEmpty(res, 204, { Allow: match.allow.join(', ') });
          throw new HttpError(
            405,
            'method',
            `${method} is not supported on ${url.pathname}; use ${match.allow.join(', ')}.`,
            {
              Allow: match.allow.join(', '),
            },
          );
        case 'not-found':
          throw new HttpError(
            404,
            'path',
            `Nothing here: ${url.pathname}. The lesson index is at /.`,
          );
      }
    } catch (err) {
      sendError(res, err, logger);
    }
  }

  const listener: RequestListener = (req, res) => {
    void handle(req, res);
  };

  /**
   * `Expect: 100-continue` is a client asking "will you take this body?" before uploading it
   * (curl does so for large uploads). Node's default answers "100 Continue" to everyone;
   * here an announced body over the limit gets its 413 before a single byte is sent.
   */
  const continueListener: RequestListener = (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) > settings.maxBodyBytes) {
      const message = `The body is larger than this server accepts (${settings.maxBodyBytes} bytes); do not send it.`;
      sendError(res, new HttpError(413, 'body', message, { Connection: 'close' }), logger);
      return;
    }
    res.writeContinue();
    listener(req, res);
  };

  return { logger, listener, continueListener };
}

function parseRequestUrl(raw: string | undefined): URL {
  try {
    // Why a fixed base: req.url is only the path ("/a?b=1"); the Host header is client
    // input and must not decide how we parse it.
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, 'path', 'The request target is not a valid URL path.');
  }
}

function sendError(res: ServerResponse, err: unknown, logger: Logger): void {
  if (res.headersSent) {
    // Half a response is already on the wire: the only honest thing left is to cut it off.
    logger.error('error after the response started', { error: String(err) });
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, err.toBody(), err.headers);
    return;
  }
  // Why: a 500 body never carries the stack or message — they can leak internals. The
  // log line has the details; the client gets a short apology.
  logger.error('unhandled error', { error: err instanceof Error ? err.stack : String(err) });
  sendJson(
    res,
    500,
    errorBody('server', 'Something went wrong on our side; the details are in the server log.'),
  );
}

/**
 * Limits that protect the server from slow or hostile clients. Node's defaults are
 * generous; a learning server states them out loud.
 */
const serverOptions: http.ServerOptions = {
  maxHeaderSize: 16 * 1024, // more header bytes → 431 Request Header Fields Too Large
  requestTimeout: 30_000, // the whole request (headers + body) must arrive within 30 s
  headersTimeout: 10_000, // … and the headers within 10 s (slowloris)
  keepAliveTimeout: 5_000,
};

/** A plain-HTTP server around the app, not yet listening (call `.listen(port)`). */
export function buildServer(app: App = buildApp()): http.Server {
  const server = http.createServer(serverOptions, app.listener);
  server.on('checkContinue', app.continueListener);
  server.on('clientError', (err, socket) => answerClientError(err, socket, app.logger));
  return server;
}

/** The same app behind TLS. `key`/`cert` are PEM strings (see tls/certificate.ts). */
export function buildHttpsServer(
  app: App,
  credentials: { key: string; cert: string },
): https.Server {
  const server = https.createServer({ ...serverOptions, ...credentials }, app.listener);
  server.on('checkContinue', app.continueListener);
  server.on('clientError', (err, socket) => answerClientError(err, socket, app.logger));
  // A failed TLS handshake (e.g. plain HTTP sent to the HTTPS port) is a client problem.
  server.on('tlsClientError', (err) =>
    app.logger.debug('TLS handshake failed', { error: err.message }),
  );
  return server;
}

/**
 * Bytes that are not HTTP never reach a route: Node's parser rejects them and emits
 * `clientError`. We answer with a short 4xx and close the socket; the server itself is
 * untouched and keeps serving everyone else. This is the "never crash on any input" rule.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex, logger: Logger): void {
  logger.debug('malformed request', { code: err.code, error: err.message });
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason, explanation] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'The request headers are larger than this server accepts (16 KiB).',
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request did not arrive in time.']
        : [
            400,
            'Bad Request',
            `This is not a valid HTTP/1.1 request (${err.code ?? 'parse error'}).`,
          ];
  const body = JSON.stringify(errorBody('request', explanation)) + '\n';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

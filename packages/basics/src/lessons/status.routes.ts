import { STATUS_CODES } from 'node:http';
import { HttpError } from '../http/http-error';
import { sendEmpty, sendJson, type Headers } from '../http/respond';
import { type Router } from '../http/router';

/**
 * Lesson: status codes. The first digit is the class, and a client that does not know a
 * code must treat it like the x00 of its class — so choose codes by class first.
 */
const classes: Record<string, string> = {
  '2': 'success — the request worked',
  '3': 'redirection — look elsewhere (Location) or use your cached copy',
  '4': 'client error — the request is wrong; sending it again unchanged will fail again',
  '5': 'server error — the request may be fine; the server failed (retrying later can help)',
};

const notes: Record<number, string> = {
  200: 'OK: here is the resource.',
  201: 'Created: a new resource exists; its URL is in Location.',
  202: 'Accepted: queued for later; the work is not done yet.',
  204: 'No Content: done, and there is nothing to send back (no body at all).',
  301: 'Moved Permanently: use the new URL from now on (see /redirect/301).',
  304: 'Not Modified: your cached copy is still good (see /cache/resource). No body.',
  400: 'Bad Request: malformed syntax — broken JSON, a bad query parameter.',
  401: 'Unauthorized: really "unauthenticated" — who are you? Send credentials.',
  403: 'Forbidden: we know who you are, and you may not do this.',
  404: 'Not Found: no resource at this URL.',
  405: 'Method Not Allowed: the URL exists, the method does not (see the Allow header).',
  406: 'Not Acceptable: we cannot produce any type your Accept header allows (see /negotiate).',
  409: 'Conflict: the request clashes with the current state (e.g. a taken username).',
  412: 'Precondition Failed: your If-Match ETag is stale; someone changed it first.',
  413: 'Content Too Large: the body is over the limit (see /body/echo).',
  415: 'Unsupported Media Type: we do not read that Content-Type.',
  422: 'Unprocessable Content: well-formed, but the values break a rule (validation).',
  429: 'Too Many Requests: slow down; Retry-After says for how long.',
  500: 'Internal Server Error: a bug. The details belong in the log, not the response.',
  502: 'Bad Gateway: a server we depend on answered badly.',
  503: 'Service Unavailable: overloaded or starting up; Retry-After may say when to come back.',
  504: 'Gateway Timeout: a server we depend on did not answer in time.',
};

export function registerStatusRoutes(router: Router): void {
  router.on('GET', '/status', ({ res }) => {
    sendJson(res, 200, {
      classes,
      examples: Object.entries(notes).map(([code, meaning]) => ({
        code: Number(code),
        meaning,
        try: `/status/${code}`,
      })),
      crash: '/status/crash throws inside the handler, to show what a 500 looks like from outside',
    });
  });

  // A deliberate bug: the dispatcher catches it, logs the stack and answers a plain 500.
  router.on('GET', '/status/crash', () => {
    throw new Error('This handler failed on purpose (the status-code lesson).');
  });

  router.on('GET', '/status/:code', ({ res, params }) => {
    const code = Number(params.code);
    if (!/^\d{3}$/.test(params.code ?? '') || STATUS_CODES[code] === undefined) {
      throw new HttpError(
        400,
        'code',
        `"${params.code}" is not a status code this server knows; see /status.`,
      );
    }
    if (code < 200) {
      throw new HttpError(
        400,
        'code',
        '1xx codes are interim answers (e.g. 100 Continue) and cannot end a response.',
      );
    }
    const headers: Headers = { 'X-Lesson': 'status-codes' };
    if (code === 405) headers.Allow = 'GET';
    if (code === 429 || code === 503) headers['Retry-After'] = '5';
    if (code === 204 || code === 304) return sendEmpty(res, code, headers);
    sendJson(
      res,
      code,
      {
        status: code,
        reason: STATUS_CODES[code],
        class: classes[String(code)[0]!],
        meaning: notes[code] ?? 'See RFC 9110 §15 for the full list.',
      },
      headers,
    );
  });
}

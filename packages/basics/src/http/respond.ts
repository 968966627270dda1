import { type ServerResponse } from 'node:http';

export type Headers = Record<string, string | number | string[]>;

/**
 * Every response goes through here, so every response has a Content-Length: the client
 * knows where the body ends and can reuse the connection (keep-alive). The one exception
 * is the streaming lesson, which deliberately has no length and is sent chunked.
 */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Headers = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': bytes.length });
  res.end(bytes);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Headers = {},
): void {
  send(res, status, JSON.stringify(value, null, 2) + '\n', {
    'Content-Type': 'application/json; charset=utf-8',
    ...headers,
  });
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Headers = {},
): void {
  send(res, status, text, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

/** 204 and 304 must not have a body at all — not even an empty JSON object. */
export function sendEmpty(res: ServerResponse, status: 204 | 304, headers: Headers = {}): void {
  res.writeHead(status, headers);
  res.end();
}

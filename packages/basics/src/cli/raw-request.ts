import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

/**
 * One HTTP/1.1 exchange over a bare socket — what every HTTP client does underneath.
 * HTTP/1.1 is text: a request line, header lines, an empty line, then the body; every line
 * in the head ends in CR LF (`\r\n`).
 */
export interface RawRequestOptions {
  url: URL;
  method: string;
  headers: [name: string, value: string][];
  body?: string;
  /** TLS: skip certificate verification (like `curl -k`). */
  insecure?: boolean;
  /** TLS: trust this PEM certificate (like `curl --cacert`). */
  caFile?: string;
  timeoutMs?: number;
}

export type WireEvent =
  | { kind: 'info'; text: string }
  | { kind: 'sent'; bytes: Buffer }
  | { kind: 'received'; bytes: Buffer };

export class RawRequestError extends Error {
  override name = 'RawRequestError';
}

/** The exact bytes of the request. */
export function buildRequest(
  options: Pick<RawRequestOptions, 'url' | 'method' | 'headers' | 'body'>,
): Buffer {
  const { url, method, body } = options;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value]);
  // Host is the one header HTTP/1.1 requires; the port is left out when it is the default.
  set('Host', url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname);
  set('User-Agent', 'roadmap-basics-cli/1.0');
  set('Accept', '*/*');
  // Why close: the server then ends the connection after its answer, so "the end of the
  // response" is simply "the end of the stream" and we need no body-length parsing here.
  set('Connection', 'close');
  if (body !== undefined) set('Content-Length', String(Buffer.byteLength(body)));
  for (const [name, value] of options.headers) set(name, value);

  const head = [
    `${method} ${url.pathname}${url.search} HTTP/1.1`,
    ...[...headers.values()].map(([n, v]) => `${n}: ${v}`),
  ];
  return Buffer.concat([
    Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'),
    Buffer.from(body ?? '', 'utf8'),
  ]);
}

/** Parse `Name: value` as given on the command line; refuses what would break the framing. */
export function parseHeader(line: string): [string, string] {
  const index = line.indexOf(':');
  const name = line.slice(0, index).trim();
  const value = line.slice(index + 1).trim();
  if (index <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new RawRequestError(`"${line}" is not a header; write it as 'Name: value'.`);
  }
  if (/[\r\n]/.test(value))
    throw new RawRequestError(
      'A header value cannot contain a line break (that would start a new header).',
    );
  return [name, value];
}

export function sendRawRequest(
  options: RawRequestOptions,
  emit: (event: WireEvent) => void,
): Promise<{ sent: number; received: number }> {
  const { url } = options;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(
      new RawRequestError(`Only http:// and https:// URLs are supported (got ${url.protocol}).`),
    );
  }
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] → ::1
  const port = Number(url.port || (secure ? 443 : 80));
  const request = buildRequest(options);
  const timeoutMs = options.timeoutMs ?? 10_000;

  return new Promise((resolve, reject) => {
    let received = 0;
    emit({
      kind: 'info',
      text: `Connecting to ${host} port ${port} over ${secure ? 'TLS' : 'TCP'}…`,
    });
    const socket = secure
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host, // SNI: which site we want, before any HTTP
          rejectUnauthorized: !options.insecure,
          ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host, port });

    const fail = (err: Error & { code?: string }) => {
      socket.destroy();
      reject(new RawRequestError(explainSocketError(err, url, timeoutMs), { cause: err }));
    };
    socket.setTimeout(timeoutMs, () =>
      fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.on('error', fail);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      emit({
        kind: 'info',
        text: `Connected to ${socket.remoteAddress ?? host} port ${socket.remotePort ?? port}`,
      });
      if (socket instanceof tls.TLSSocket) {
        const cipher = socket.getCipher();
        const cert = socket.getPeerCertificate();
        emit({
          kind: 'info',
          text:
            `TLS handshake done: ${socket.getProtocol() ?? '?'}, cipher ${cipher.name}, ALPN ${socket.alpnProtocol || 'none'}; ` +
            `certificate for ${String(cert.subject?.CN ?? '?')} issued by ${String(cert.issuer?.CN ?? '?')}` +
            (socket.authorized
              ? ' (verified)'
              : ` (NOT verified: ${String(socket.authorizationError)})`),
        });
      }
      emit({ kind: 'sent', bytes: request });
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      emit({ kind: 'received', bytes: chunk });
    });
    socket.on('end', () => {
      emit({
        kind: 'info',
        text: 'The server closed the connection (we asked for Connection: close).',
      });
      socket.destroy();
      resolve({ sent: request.length, received });
    });
  });
}

function explainSocketError(err: Error & { code?: string }, url: URL, timeoutMs: number): string {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (err.code ?? '') {
    case 'ECONNREFUSED':
      return `Nothing is listening on ${where} (connection refused). Is the server running? Start it with: pnpm --filter @roadmap/basics start`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the host name "${url.hostname}" (${err.code}). Try: pnpm --filter @roadmap/basics cli -- dns ${url.hostname}`;
    case 'ETIMEDOUT':
      return `No complete answer from ${where} within ${timeoutMs} ms.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return (
        `The certificate of ${where} is self-signed, so it cannot be verified. Trust it explicitly with ` +
        '--cacert packages/basics/.certs/cert.pem, or skip verification with --insecure (-k).'
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The certificate of ${where} is not valid for the name "${url.hostname}": ${err.message}`;
    case 'ECONNRESET':
      return `${where} reset the connection (${err.message}).`;
    default:
      if (
        /wrong version number|packet length too long|EPROTO/i.test(
          `${err.code ?? ''} ${err.message}`,
        )
      ) {
        return `${where} did not answer with TLS — is it a plain HTTP port? Try http:// instead of https://.`;
      }
      return `${err.code ?? 'Error'}: ${err.message}`;
  }
}

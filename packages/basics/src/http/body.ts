import { type IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/**
 * Read a request body by hand, refusing more than `limit` bytes.
 *
 * A body arrives in two ways: with `Content-Length: N` (the client says the size up front)
 * or with `Transfer-Encoding: chunked` (the size is unknown until the last chunk). We check
 * the declared length before reading a single byte, and count the bytes as they arrive for
 * the chunked case — otherwise one client could make the server buffer gigabytes.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit, `${declared} bytes were announced`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        reject(tooLarge(limit, `more than ${limit} bytes arrived`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpError(400, 'body', `The request body could not be read: ${err.message}`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number, why: string): HttpError {
  // Why `Connection: close`: the rest of the oversized body is still on its way; closing
  // the connection is cheaper than reading and throwing it away.
  return new HttpError(
    413,
    'body',
    `The body is larger than this server accepts (${limit} bytes): ${why}.`,
    {
      Connection: 'close',
    },
  );
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Read and parse a JSON body. Each failure gets its own status, because each tells the
 * client something different: 415 "wrong format", 413 "too big", 400 "broken JSON".
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = mediaType(req);
  if (!isJsonType(type)) {
    throw new HttpError(
      415,
      'body',
      `Send JSON with "Content-Type: application/json" (got "${type || 'no Content-Type'}").`,
    );
  }
  const raw = await readBody(req, limit);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new HttpError(400, 'body', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

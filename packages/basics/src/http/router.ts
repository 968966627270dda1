import { type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpError } from './http-error';

/** What a route handler receives: the raw node objects, plus the parsed URL and path params. */
export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** True when the request arrived over TLS (the HTTPS server). */
  secure: boolean;
}

export type Handler = (ctx: Context) => void | Promise<void>;

interface Route {
  methods: readonly string[];
  segments: readonly string[];
  handler: Handler;
}

export type Match =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  /** The path exists but not with this method: the answer is 405 plus an `Allow` header. */
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/**
 * The smallest router that still gets HTTP right: `/notes/:id` patterns, 404 for an unknown
 * path, and 405 + `Allow` for a known path with the wrong method (a 404 there would tell the
 * client the resource does not exist, which is false). Express does the same inside.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(methods: string | readonly string[], pattern: string, handler: Handler): this {
    const list = typeof methods === 'string' ? [methods] : methods;
    this.routes.push({ methods: list, segments: split(pattern), handler });
    return this;
  }

  match(method: string, pathname: string): Match {
    const segments = split(pathname).map(decodeSegment);
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      // Why: HEAD is GET without the body. Node drops the body of a response to HEAD by
      // itself, so every GET route answers HEAD for free — as the HTTP spec requires.
      if (method === 'HEAD' && route.methods.includes('GET'))
        return { kind: 'found', handler: route.handler, params };
      for (const m of route.methods) allow.add(m);
    }
    if (allow.size === 0) return { kind: 'not-found' };
    if (allow.has('GET')) allow.add('HEAD');
    allow.add('OPTIONS');
    return { kind: 'method-not-allowed', allow: [...allow].sort() };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      'path',
      `The path segment "${segment}" is not valid percent-encoding.`,
    );
  }
}

function matchSegments(
  pattern: readonly string[],
  actual: readonly string[],
): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const value = actual[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = value;
    else if (part !== value) return null;
  }
  return params;
}

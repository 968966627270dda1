import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { tokenFromAuthorization } from '@roadmap/auth';
import { AppError } from '@roadmap/kit';
import type { Caller, JwksVerifier } from './jwks';
import type { NotificationsService } from './notifications.service';
import type { RealtimeHub } from './realtime';
import type { Notification } from './store/store';

/** The JSON shape of one notification (dates as ISO strings). */
export function toJson(n: Notification) {
  return {
    id: n.id,
    kind: n.kind,
    actor: { id: n.actorId, username: n.actorUsername },
    article: n.articleSlug ? { slug: n.articleSlug, title: n.articleTitle } : null,
    excerpt: n.excerpt,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
  };
}

function validation(error: z.ZodError): AppError {
  const details: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'body';
    (details[key] ??= []).push(issue.message);
  }
  return AppError.validation(details, error);
}

/** `Authorization: Token <jwt>` (RealWorld) or `Bearer <jwt>`; the caller lands in res.locals. */
function authenticate(verifier: JwksVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      next(
        new AppError({
          code: 'unauthorized',
          status: 401,
          message: 'is missing',
          field: 'token',
          headers: { 'WWW-Authenticate': 'Token realm="conduit"' },
        }),
      );
      return;
    }
    // The scheme rules are auth's own (one place for them); a malformed header is a 401.
    res.locals.caller = await verifier.verify(tokenFromAuthorization(header));
    next();
  };
}

const callerOf = (res: Response): Caller => res.locals.caller as Caller;

export interface RoutesDeps {
  service: NotificationsService;
  realtime: Pick<RealtimeHub, 'subscribe'>;
  verifier: JwksVerifier;
  pageMax: number;
  heartbeatMs: number;
  maxStreams: number;
}

/** Open SSE responses of this instance, so shutdown can end them instead of waiting. */
export class Streams {
  readonly open = new Set<Response>();
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}

export function notificationsRoutes(deps: RoutesDeps, streams: Streams): Router {
  const router = Router();
  const auth = authenticate(deps.verifier);

  const pageQuery = z.strictObject({
    limit: z.coerce.number().int().min(1).max(deps.pageMax).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  });
  const readBody = z.union([
    z.strictObject({ ids: z.array(z.uuid()).min(1).max(deps.pageMax) }),
    z.strictObject({ all: z.literal(true) }),
  ]);

  router.get('/api/notifications', auth, async (req: Request, res: Response) => {
    const page = pageQuery.safeParse(req.query);
    if (!page.success) throw validation(page.error);
    const result = await deps.service.list(callerOf(res).userId, page.data);
    res.json({
      notifications: result.notifications.map(toJson),
      unreadCount: result.unreadCount,
      limit: page.data.limit,
      offset: page.data.offset,
    });
  });

  router.post('/api/notifications/read', auth, async (req: Request, res: Response) => {
    const body = readBody.safeParse(req.body ?? {});
    if (!body.success) {
      throw AppError.validation({ body: ['must be {"ids": [<uuid>, …]} or {"all": true}'] });
    }
    const ids = 'all' in body.data ? ('all' as const) : body.data.ids;
    res.json(await deps.service.markRead(callerOf(res).userId, ids));
  });

  router.get('/api/notifications/stream', auth, async (req: Request, res: Response) => {
    if (streams.open.size >= deps.maxStreams) {
      throw new AppError({
        code: 'too_many_streams',
        status: 503,
        message: 'too many open streams on this instance; retry later',
        headers: { 'Retry-After': '5' },
      });
    }
    const { userId } = callerOf(res);
    const frame = (n: Notification) =>
      `id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(toJson(n))}\n\n`;
    // Subscribe before answering, so a Redis outage is a clean 503 with the error body rather
    // than a 200 stream that never delivers. A notification arriving in between waits.
    const early: Notification[] = [];
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await deps.realtime.subscribe(userId, (n) => {
        if (res.headersSent) res.write(frame(n));
        else early.push(n);
      });
    } catch (err) {
      throw new AppError({
        code: 'realtime_unavailable',
        status: 503,
        message: 'live notifications are unavailable right now; the list still works',
        headers: { 'Retry-After': '5' },
        cause: err,
      });
    }
    if (req.socket.destroyed) {
      // The client left while we subscribed: no 'close' is coming for us to clean up on.
      void unsubscribe();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Why: nginx and similar proxies buffer responses unless told not to; SSE must not wait.
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    streams.open.add(res);
    // `retry` tells EventSource how long to wait before reconnecting; `ready` tells the client
    // the subscription is live.
    res.write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
    for (const n of early.splice(0)) res.write(frame(n));
    const heartbeat = setInterval(() => res.write(`: heartbeat\n\n`), deps.heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      streams.open.delete(res);
      void unsubscribe();
    });
  });

  return router;
}

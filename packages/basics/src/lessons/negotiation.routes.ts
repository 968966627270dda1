import { negotiate } from '../http/accept';
import { HttpError } from '../http/http-error';
import { send } from '../http/respond';
import { type Router } from '../http/router';

/**
 * Lesson: content negotiation. One URL, several representations; the client's `Accept`
 * header picks one. `Vary: Accept` tells every cache on the way that the answer depends on
 * that header — without it a cache could hand HTML to a client that asked for JSON.
 */
const offers = ['application/json', 'text/html', 'text/plain'] as const;

export function registerNegotiationRoutes(router: Router): void {
  router.on('GET', '/negotiate', ({ req, res }) => {
    const accept = req.headers.accept;
    const chosen = negotiate(accept, offers);
    const message = 'Hello from one URL in three formats.';
    const vary = { Vary: 'Accept' };
    switch (chosen) {
      case 'application/json':
        return send(res, 200, JSON.stringify({ message, format: chosen }) + '\n', {
          ...vary,
          'Content-Type': 'application/json; charset=utf-8',
        });
      case 'text/html':
        return send(res, 200, `<!doctype html>\n<p>${message} (format: text/html)</p>\n`, {
          ...vary,
          'Content-Type': 'text/html; charset=utf-8',
        });
      case 'text/plain':
        return send(res, 200, `${message} (format: text/plain)\n`, {
          ...vary,
          'Content-Type': 'text/plain; charset=utf-8',
        });
      case null:
        throw new HttpError(
          406,
          'accept',
          `This URL can produce ${offers.join(', ')}; your Accept header ("${accept ?? ''}") allows none of them.`,
          vary,
        );
    }
  });
}

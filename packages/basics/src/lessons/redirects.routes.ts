import { HttpError } from '../http/http-error';
import { readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: redirects. All of them say "go to Location"; they differ in two questions.
 *
 * | code | permanent? (caches, bookmarks, search engines update) | method and body kept? |
 * |------|------|------|
 * | 301 | yes | no — browsers turn a POST into a GET (historical behaviour) |
 * | 302 | no  | no — same history as 301 |
 * | 303 | no  | never: "see other" — always GET the new URL (after a form POST) |
 * | 307 | no  | yes — repeat the same method with the same body |
 * | 308 | yes | yes |
 *
 * POST something to /redirect/302 and to /redirect/307 and compare what /redirect/target saw.
 */
const redirects: Record<string, string> = {
  '301': 'Moved Permanently: permanent; clients may turn POST into GET.',
  '302': 'Found: temporary; clients may turn POST into GET.',
  '303': 'See Other: temporary; the client must GET the new URL.',
  '307': 'Temporary Redirect: temporary; the method and body are kept.',
  '308': 'Permanent Redirect: permanent; the method and body are kept.',
};
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function registerRedirectRoutes(router: Router, settings: Settings): void {
  router.on(methods, '/redirect/target', async ({ req, res }) => {
    const body = await readBody(req, settings.maxBodyBytes);
    sendJson(res, 200, {
      arrived: `${req.method} /redirect/target`,
      method: req.method,
      body: body.length > 0 ? body.toString('utf8') : null,
    });
  });

  router.on(methods, '/redirect/:code', ({ res, params }) => {
    const code = params.code ?? '';
    const meaning = redirects[code];
    if (meaning === undefined) {
      throw new HttpError(
        404,
        'code',
        `Try one of /redirect/${Object.keys(redirects).join(', /redirect/')}.`,
      );
    }
    sendJson(
      res,
      Number(code),
      { status: Number(code), meaning, location: '/redirect/target' },
      { Location: '/redirect/target' },
    );
  });
}

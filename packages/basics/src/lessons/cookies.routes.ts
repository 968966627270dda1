import { randomBytes } from 'node:crypto';
import { parseCookies, serializeCookie } from '../http/cookies';
import { HttpError } from '../http/http-error';
import { readJson } from '../http/body';
import { sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: cookies. POST sets two, GET shows what the browser sends back, DELETE removes them.
 *
 * - `lesson_session` is HttpOnly: JavaScript on the page cannot read it (look at
 *   `document.cookie` in the page — it is not there), so an XSS bug cannot steal it.
 * - `lesson_theme` is not HttpOnly: a preference the page's script may read.
 * - Both are `SameSite=Lax`: not sent on cross-site sub-requests (the main CSRF defence),
 *   still sent when the user follows a link to us.
 * - Over HTTPS they are also `Secure`: never sent over plain HTTP.
 */
const THEME = /^[a-z]{1,20}$/;

export function registerCookieRoutes(router: Router, settings: Settings): void {
  router.on('GET', '/cookies', ({ req, res }) => {
    sendJson(res, 200, {
      cookieHeader: req.headers.cookie ?? null,
      cookies: parseCookies(req.headers.cookie),
    });
  });

  router.on('POST', '/cookies', async ({ req, res, secure }) => {
    let theme = 'dark';
    if (req.headers['content-length'] !== '0' && req.headers['content-type'] !== undefined) {
      const body = await readJson(req, settings.maxBodyBytes);
      const wanted =
        typeof body === 'object' && body !== null ? (body as { theme?: unknown }).theme : undefined;
      if (wanted !== undefined) {
        if (typeof wanted !== 'string' || !THEME.test(wanted))
          throw new HttpError(422, 'theme', 'must be 1–20 letters a–z');
        theme = wanted;
      }
    }
    const setCookie = [
      serializeCookie('lesson_session', randomBytes(12).toString('base64url'), {
        maxAge: 3600,
        httpOnly: true,
        secure,
        sameSite: 'Lax',
      }),
      serializeCookie('lesson_theme', theme, { maxAge: 3600, secure, sameSite: 'Lax' }),
    ];
    // Two cookies → two Set-Cookie headers. (Set-Cookie is the one header that is never
    // comma-joined, because cookie dates contain commas.)
    sendJson(res, 200, { set: setCookie }, { 'Set-Cookie': setCookie });
  });

  router.on('DELETE', '/cookies', ({ res, secure }) => {
    // Deleting a cookie = setting it again, same name and Path, already expired.
    const setCookie = ['lesson_session', 'lesson_theme'].map((name) =>
      serializeCookie(name, '', {
        maxAge: 0,
        secure,
        sameSite: 'Lax',
        httpOnly: name === 'lesson_session',
      }),
    );
    sendJson(res, 200, { set: setCookie }, { 'Set-Cookie': setCookie });
  });
}

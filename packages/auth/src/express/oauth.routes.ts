import { Router, type Request, type RequestHandler } from 'express';
import { Passport } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import { AppError, logger } from '@roadmap/kit';
import type { User } from '@roadmap/data-sql';
import type { OAuthSettings } from '../config';
import { profileFromUserinfo, type createOAuthService } from '../oauth.service';
import { toPublicUser } from '../user.view';
import { routePolicy } from './authenticate';
import { startSession, type Csrf } from './session';

const oauthError = (status: number, message: string, cause?: unknown) =>
  new AppError({ code: 'oauth_failed', status, message, field: 'oauth', cause });

/**
 * OAuth2 login (authorization code + PKCE S256 + state) with passport-oauth2, for one provider
 * described entirely by environment variables. The callback links (provider, subject) to a
 * user and signs them into a session.
 */
export function createOAuthRoutes(deps: {
  settings: OAuthSettings;
  service: ReturnType<typeof createOAuthService>;
  sessionMiddleware: RequestHandler;
  csrf: Csrf;
}): Router {
  const { settings, service, sessionMiddleware, csrf } = deps;
  // Why our own Passport instance: the global singleton would be shared by every app in the
  // process (and every test file), strategies included.
  const passport = new Passport();
  const strategy = new OAuth2Strategy(
    {
      authorizationURL: settings.authorizationURL,
      tokenURL: settings.tokenURL,
      clientID: settings.clientID,
      clientSecret: settings.clientSecret,
      callbackURL: settings.callbackURL,
      scope: settings.scopes,
      // `state` defeats login CSRF (an attacker's code injected into our callback); PKCE binds
      // the code to this browser's session, so a stolen code is useless. The verifier and the
      // state handle live in the server-side session, never in the browser.
      state: true,
      pkce: true,
    },
    (
      _accessToken: string,
      _refreshToken: string,
      profile: unknown,
      done: OAuth2Strategy.VerifyCallback,
    ) => {
      service.findOrCreateUser(profile as Parameters<typeof service.findOrCreateUser>[0]).then(
        (user) => done(null, user as unknown as Express.User),
        (error: unknown) => done(error),
      );
    },
  );
  strategy.name = settings.provider;
  strategy.userProfile = (accessToken, done) => {
    fetch(settings.userInfoURL, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        Accept: 'application/json',
        'User-Agent': 'roadmap-conduit',
      },
      signal: AbortSignal.timeout(5_000),
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
        const profile = profileFromUserinfo(settings.provider, await response.json());
        if (!profile) throw new Error('userinfo has no subject');
        done(null, profile);
      })
      .catch((error: unknown) =>
        done(oauthError(401, 'the provider did not return a usable profile', error)),
      );
  };
  passport.use(strategy);

  const router = Router();
  const base = `/auth/oauth/${settings.provider}`;

  router.get(
    base,
    routePolicy('public'),
    sessionMiddleware,
    passport.authenticate(settings.provider, { session: false }) as RequestHandler,
  );

  router.get(`${base}/callback`, routePolicy('public'), sessionMiddleware, (req, res, next) => {
    const callback = (error: unknown, user: User | false, info?: { message?: string }) => {
      if (error || !user) {
        next(toOAuthError(req, error, info));
        return;
      }
      startSession(req, user, csrf).then((csrfToken) => {
        if (settings.successRedirect) res.redirect(303, settings.successRedirect);
        else res.json({ user: toPublicUser(user), csrfToken });
      }, next);
    };
    (passport.authenticate(settings.provider, { session: false }, callback) as RequestHandler)(
      req,
      res,
      next,
    );
  });

  return router;
}

/** Every way the dance can fail, as a clear 4xx — never a 500 the provider caused. */
function toOAuthError(req: Request, error: unknown, info?: { message?: string }): AppError {
  if (error instanceof AppError) return error;
  if (error) {
    const name = (error as { name?: string }).name;
    logger.info({ err: error }, 'oauth callback failed');
    if (name === 'AuthorizationError')
      return oauthError(401, 'the provider refused the authorization', error);
    if (name === 'TokenError' || name === 'InternalOAuthError')
      return oauthError(401, 'the authorization code could not be exchanged', error);
    return oauthError(400, 'the authorization could not be completed', error);
  }
  if (typeof req.query.error === 'string')
    return oauthError(401, 'the authorization was denied', info?.message);
  // passport-oauth2's state store: no state in the session (missing/expired session, a replayed
  // callback) or a state that differs (forged) — both mean "not the request we started".
  return oauthError(403, 'the authorization request could not be verified', info?.message);
}

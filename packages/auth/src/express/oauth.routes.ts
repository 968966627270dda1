import type { Request, RequestHandler } from 'express';
import { Passport } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import { AppError, logger } from '@roadmap/kit';
import type { User } from '@roadmap/data-sql';
import type { OAuthSettings } from '../config';
import { profileFromUserinfo, type createOAuthService } from '../oauth.service';
import { toPublicUser } from '../user.view';
import { defineRoute, sessionUserSchema, type RouteContext } from './route';
import { startSession, type Csrf } from './session';

const oauthError = (status: number, message: string, cause?: unknown) =>
  new AppError({ code: 'oauth_failed', status, message, field: 'oauth', cause });

/**
 * OAuth2 login (authorization code + PKCE S256 + state) with passport-oauth2, for one provider
 * described entirely by environment variables. The callback links (provider, subject) to a
 * user and signs them into a session.
 */
export function oauthRoutes(
  context: RouteContext,
  deps: {
    settings: OAuthSettings;
    service: ReturnType<typeof createOAuthService>;
    sessionMiddleware: RequestHandler;
    csrf: Csrf;
  },
): void {
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

  const base = `/auth/oauth/${settings.provider}`;

  defineRoute(context, {
    method: 'get',
    path: base,
    operationId: 'OAuthStart',
    summary: 'Redirect to the OAuth provider (authorization code + state + PKCE)',
    tag: 'Auth',
    policy: 'public',
    middleware: [sessionMiddleware],
    success: { status: 302, description: "To the provider's consent page" },
    errors: [],
    // passport answers with the redirect itself (state and PKCE verifier go to the session);
    // it calls next only with an error (the session store failed, say).
    handle: ({ req, res }) =>
      new Promise<void>((resolve, reject) => {
        res.once('close', () => resolve());
        (passport.authenticate(settings.provider, { session: false }) as RequestHandler)(
          req,
          res,
          reject,
        );
      }),
  });

  defineRoute(context, {
    method: 'get',
    path: `${base}/callback`,
    operationId: 'OAuthCallback',
    summary: 'The provider redirects back here; a session starts',
    tag: 'Auth',
    policy: 'public',
    middleware: [sessionMiddleware],
    success: {
      status: 200,
      description: 'Signed in (no OAUTH_SUCCESS_REDIRECT)',
      schema: sessionUserSchema,
    },
    otherResponses: { 303: { description: 'Signed in; to OAUTH_SUCCESS_REDIRECT' } },
    errors: [401, 403, 409],
    handle: async ({ req, res }) => {
      const user = await new Promise<User>((resolve, reject) => {
        const callback = (error: unknown, found: User | false, info?: { message?: string }) => {
          if (error || !found) reject(toOAuthError(req, error, info));
          else resolve(found);
        };
        (passport.authenticate(settings.provider, { session: false }, callback) as RequestHandler)(
          req,
          res,
          reject,
        );
      });
      const csrfToken = await startSession(req, user, csrf);
      if (!settings.successRedirect) return { user: toPublicUser(user), csrfToken };
      res.redirect(303, settings.successRedirect);
      return undefined;
    },
  });
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

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { insertUser } from '@roadmap/data-sql';
import { profileFromUserinfo } from '../src/oauth.service';
import { createAuthTestApp, type AuthTestApp } from './support/auth-app';
import {
  CookieJar,
  startAuthorizationServer,
  type AuthorizationServer,
} from './support/authorization-server';

/**
 * The whole OAuth2 authorization-code flow against a real authorization server (oidc-provider
 * in a child process), through real HTTP: our app → provider login/consent → our callback.
 */
let t: AuthTestApp;
let idp: AuthorizationServer;
let server: http.Server;
let appUrl: string;

beforeAll(async () => {
  // The server must listen (its port goes into the provider's redirect URI) before the app exists.
  const target: { app?: Express } = {};
  server = http.createServer((req, res) => {
    target.app!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callbackUrl = `${appUrl}/auth/oauth/idp/callback`;
  idp = await startAuthorizationServer({
    REDIRECT_URI: callbackUrl,
    CLIENT_ID: 'conduit',
    CLIENT_SECRET: 'conduit-test-secret',
  });
  t = await createAuthTestApp('oauth', {
    OAUTH_PROVIDER: 'idp',
    OAUTH_AUTHORIZATION_URL: idp.authorizationEndpoint,
    OAUTH_TOKEN_URL: idp.tokenEndpoint,
    OAUTH_USERINFO_URL: idp.userinfoEndpoint,
    OAUTH_CLIENT_ID: 'conduit',
    OAUTH_CLIENT_SECRET: 'conduit-test-secret',
    OAUTH_SCOPES: 'openid email profile',
    OAUTH_CALLBACK_URL: callbackUrl,
  });
  target.app = t.app;
});
afterAll(async () => {
  await idp?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

const get = (url: string, jar?: CookieJar) =>
  fetch(url, { redirect: 'manual', headers: jar ? { cookie: jar.header() } : {} });

/** Our /auth/oauth/idp: returns the provider URL the browser is sent to. */
async function begin(browser: CookieJar): Promise<URL> {
  const res = await get(`${appUrl}/auth/oauth/idp`, browser);
  expect(res.status).toBe(302);
  browser.store(res);
  return new URL(res.headers.get('location')!);
}

/** Plays the user at the provider (login as `account`, consent) until it redirects back to us. */
async function atProvider(authorizeUrl: URL, account: string): Promise<URL> {
  const providerJar = new CookieJar();
  let url = authorizeUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.href.startsWith(appUrl)) return url;
    if (url.pathname.startsWith('/interaction/')) url.searchParams.set('account', account);
    const res = await get(url.href, providerJar);
    providerJar.store(res);
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`provider answered ${res.status} at ${url.pathname}: ${await res.text()}`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}

async function callback(url: URL | string, browser?: CookieJar) {
  const res = await get(String(url), browser);
  browser?.store(res);
  return {
    status: res.status,
    body: (await res.json()) as {
      user?: { username: string; email: string };
      csrfToken?: string;
      errors?: Record<string, string[]>;
    },
  };
}

test('when a user signs in with the provider, then state and PKCE S256 are used, a linked user is created and a session starts', async () => {
  const browser = new CookieJar();
  const authorize = await begin(browser);
  expect(authorize.origin).toBe(idp.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(authorize.searchParams.get('state')).toMatch(/^.{16,}$/);
  expect(authorize.searchParams.get('scope')).toBe('openid email profile');
  const before = browser.get('conduit.sid');

  const back = await atProvider(authorize, 'alice');
  expect(back.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
  const res = await callback(back, browser);
  expect(res.status).toBe(200);
  expect(res.body.user).toMatchObject({
    username: 'alice',
    email: 'alice@idp.example',
    role: 'user',
  });
  expect(browser.get('conduit.sid')).not.toBe(before); // session regenerated at login

  const me = await fetch(`${appUrl}/auth/session/me`, { headers: { cookie: browser.header() } });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { user: { username: string } }).user.username).toBe('alice');
  const { rows } = await t.db.pool.query('SELECT provider, subject, email FROM oauth_identities');
  expect(rows).toEqual([{ provider: 'idp', subject: 'alice', email: 'alice@idp.example' }]);
});

test('when the same provider account signs in again, then it is the same user (linked by provider + subject)', async () => {
  const browser = new CookieJar();
  const res = await callback(await atProvider(await begin(browser), 'alice'), browser);
  expect(res.status).toBe(200);
  const { rows } = await t.db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE lower(username) LIKE 'alice%'",
  );
  expect(rows[0]!.n).toBe(1);
});

test('when the state in the callback is forged, then 403 and no session', async () => {
  const browser = new CookieJar();
  const back = await atProvider(await begin(browser), 'bob');
  back.searchParams.set('state', 'attacker-chosen-state');
  const res = await callback(back, browser);
  expect(res.status).toBe(403);
  expect(res.body.errors).toEqual({ oauth: ['the authorization request could not be verified'] });
  expect(
    (await fetch(`${appUrl}/auth/session/me`, { headers: { cookie: browser.header() } })).status,
  ).toBe(401);
});

test('when the callback arrives without the session that started the flow, then 403', async () => {
  const back = await atProvider(await begin(new CookieJar()), 'carol');
  const res = await callback(back);
  expect(res.status).toBe(403);
  expect(res.body.errors).toEqual({ oauth: ['the authorization request could not be verified'] });
});

test('when a successful callback is replayed (new cookie or the old one), then 403 both times', async () => {
  const browser = new CookieJar();
  const back = await atProvider(await begin(browser), 'dave');
  const oldCookie = browser.header();
  expect((await callback(back, browser)).status).toBe(200);
  const withNewSession = await callback(back, browser);
  expect(withNewSession.status).toBe(403);
  const withOldSession = await fetch(String(back), {
    redirect: 'manual',
    headers: { cookie: oldCookie },
  });
  expect(withOldSession.status).toBe(403);
});

test('when the code verifier does not match the challenge, then the provider refuses the code and we answer 401', async () => {
  const browser = new CookieJar();
  const back = await atProvider(await begin(browser), 'erin');
  // Tamper with the verifier kept in the server-side session (what an attacker holding a
  // stolen code, but not this browser's session, would have to guess).
  const sid = decodeURIComponent(browser.get('conduit.sid')!).slice(2).split('.')[0]!;
  const key = `auth:sess:${sid}`;
  const data = JSON.parse((await t.redis.redis.get(key))!) as Record<
    string,
    { state: { code_verifier: string } }
  >;
  const stateKey = Object.keys(data).find((k) => k.startsWith('oauth2:'))!;
  data[stateKey]!.state.code_verifier = 'x'.repeat(43);
  await t.redis.redis.set(key, JSON.stringify(data), 'EX', 600);
  const res = await callback(back, browser);
  expect(res.status).toBe(401);
  expect(res.body.errors).toEqual({ oauth: ['the authorization code could not be exchanged'] });
});

test('when the user denies consent at the provider, then 401 with a clear message', async () => {
  const browser = new CookieJar();
  const authorize = await begin(browser);
  const res = await callback(
    `${appUrl}/auth/oauth/idp/callback?error=access_denied&state=${authorize.searchParams.get('state')}`,
    browser,
  );
  expect(res.status).toBe(401);
  expect(res.body.errors).toEqual({ oauth: ['the authorization was denied'] });
});

test('when the provider reports another error, then 401, never 500', async () => {
  const res = await callback(
    `${appUrl}/auth/oauth/idp/callback?error=server_error&error_description=boom`,
    new CookieJar(),
  );
  expect(res.status).toBe(401);
  expect(res.body.errors).toEqual({ oauth: ['the provider refused the authorization'] });
});

test('when a local account already has the email, then 409 instead of silently linking (account takeover)', async () => {
  await insertUser(t.db.pool, {
    email: 'frank@idp.example',
    username: 'frank_local',
    passwordHash: null,
  });
  const browser = new CookieJar();
  const res = await callback(await atProvider(await begin(browser), 'frank'), browser);
  expect(res.status).toBe(409);
  expect(res.body.errors).toEqual({
    email: ['is already registered: sign in with your password first'],
  });
});

describe('userinfo mapping (no HTTP)', () => {
  test('when GitHub answers /user, then id is the subject and login the username; a private (null) email stays null', () => {
    expect(profileFromUserinfo('github', { id: 583231, login: 'octocat', email: null })).toEqual({
      provider: 'github',
      subject: '583231',
      email: null,
      username: 'octocat',
    });
  });

  test('when an OIDC provider marks the email unverified, then it is not used', () => {
    expect(
      profileFromUserinfo('idp', { sub: 'abc', email: 'x@example.com', email_verified: false })
        ?.email,
    ).toBeNull();
    expect(
      profileFromUserinfo('idp', { sub: 'abc', email: 'x@example.com', email_verified: true })
        ?.email,
    ).toBe('x@example.com');
  });

  test('when the answer has no subject, then there is no profile', () => {
    expect(profileFromUserinfo('idp', { email: 'x@example.com' })).toBeNull();
    expect(profileFromUserinfo('idp', 'not an object')).toBeNull();
  });
});

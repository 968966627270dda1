import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { loadConfig } from '@roadmap/kit';
import { authConfigShape } from '../src';
import { createAuth } from '../src/express';
import { createAuthTestApp, type AuthTestApp } from './support/auth-app';
import { forge, now, pemKeyPair } from './support/jwt-forge';

const keys = pemKeyPair();
const ISSUER = 'roadmap-conduit';
const AUDIENCE = 'conduit-api';
const INVALID = { token: ['is invalid'] };

let t: AuthTestApp;
let user: Awaited<ReturnType<AuthTestApp['createUser']>>;
let tokens: { accessToken: string; refreshToken: string };
let kid: string;

beforeAll(async () => {
  t = await createAuthTestApp('jwt', {
    JWT_PRIVATE_KEY: keys.privatePem,
    JWT_PUBLIC_KEY: keys.publicPem.replace(/\n/g, '\\n'),
  });
  user = await t.createUser();
  const login = await request(t.app)
    .post('/api/auth/login')
    .send({ email: user.email, password: user.password })
    .expect(200);
  tokens = login.body as typeof tokens;
  kid = jwt.decode(tokens.accessToken, { complete: true })?.header.kid ?? '';
});
afterAll(() => t.close());

/** A well-formed access token's header and claims; each test breaks exactly one thing. */
const header = (extra: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: 'at+jwt',
  kid,
  ...extra,
});
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: String(user.id),
  role: 'admin',
  jti: 'forged',
  iat: now(),
  exp: now() + 600,
  ...extra,
});

const probe = (authorization: string) =>
  request(t.app).get('/api/probe').set('Authorization', authorization);

describe('access tokens', () => {
  test('when a valid token comes with the RealWorld "Token" scheme or "Bearer", then the request is authenticated', async () => {
    for (const scheme of ['Token', 'Bearer', 'bearer']) {
      const res = await probe(`${scheme} ${tokens.accessToken}`).expect(200);
      expect(res.body).toEqual({
        auth: { userId: user.id, role: 'user', via: 'token', expiresAt: expect.any(String) },
      });
    }
  });

  test('when the header uses the correct claims and our own key, then a hand-built token is accepted (the forge helper is sound)', async () => {
    const res = await probe(
      `Token ${forge(header(), claims({ role: 'editor' }), keys.privateKey)}`,
    ).expect(200);
    expect(res.body.auth).toEqual({
      userId: user.id,
      role: 'editor',
      via: 'token',
      expiresAt: expect.any(String),
    });
  });

  test('when no credentials are sent, then 401 says the token is missing', async () => {
    const res = await request(t.app).get('/api/probe').expect(401);
    expect(res.body.errors).toEqual({ token: ['is missing'] });
  });

  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const cases: [string, () => string][] = [
    ['a malformed header value', () => 'Token not-a-jwt'],
    ['an unknown scheme', () => `Basic ${tokens.accessToken}`],
    ['two parts only', () => `Token ${tokens.accessToken.split('.').slice(0, 2).join('.')}`],
    [
      'a header that is not JSON',
      () => `Token ${Buffer.from('{oops').toString('base64url')}.e30.c2ln`,
    ],
    ['a signature from another key (forged)', () => `Token ${forge(header(), claims(), attacker)}`],
    [
      'a tampered payload (role raised to admin)',
      () => {
        const [h, , s] = tokens.accessToken.split('.');
        return `Token ${h}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.${s}`;
      },
    ],
    ['alg "none" with no signature', () => `Token ${forge(header({ alg: 'none' }), claims())}`],
    [
      'alg HS256 keyed with our public key (algorithm confusion)',
      () => `Token ${forge(header({ alg: 'HS256' }), claims(), keys.publicPem)}`,
    ],
    [
      'an expired token',
      () =>
        `Token ${forge(header(), claims({ iat: now() - 1200, exp: now() - 600 }), keys.privateKey)}`,
    ],
    ['no exp claim', () => `Token ${forge(header(), claims({ exp: undefined }), keys.privateKey)}`],
    [
      'an iat in the future',
      () =>
        `Token ${forge(header(), claims({ iat: now() + 3600, exp: now() + 3900 }), keys.privateKey)}`,
    ],
    [
      'a lifetime longer than allowed',
      // Longer than the longest access lifetime (CONDUIT_TOKEN_TTL_SECONDS, 86400 by default).
      () => `Token ${forge(header(), claims({ exp: now() + 2 * 86_400 }), keys.privateKey)}`,
    ],
    [
      'a wrong audience',
      () => `Token ${forge(header(), claims({ aud: 'another-api' }), keys.privateKey)}`,
    ],
    [
      'a wrong issuer',
      () => `Token ${forge(header(), claims({ iss: 'https://evil.example' }), keys.privateKey)}`,
    ],
    [
      'typ JWT instead of at+jwt',
      () => `Token ${forge(header({ typ: 'JWT' }), claims(), keys.privateKey)}`,
    ],
    [
      'an unknown crit header',
      () => `Token ${forge(header({ crit: ['exp'] }), claims(), keys.privateKey)}`,
    ],
    ['an unknown kid', () => `Token ${forge(header({ kid: 'other' }), claims(), keys.privateKey)}`],
    [
      "a jku header pointing at the attacker's key set",
      () => `Token ${forge(header({ jku: 'https://evil.example/jwks.json' }), claims(), attacker)}`,
    ],
    [
      "an embedded jwk header with the attacker's key",
      () =>
        `Token ${forge(header({ jwk: createPublicKey(attacker).export({ format: 'jwk' }) }), claims(), attacker)}`,
    ],
    [
      'an oversized token, even though correctly signed',
      () => `Token ${forge(header(), claims({ pad: 'x'.repeat(3000) }), keys.privateKey)}`,
    ],
    ['a refresh token used as an access token', () => `Token ${tokens.refreshToken}`],
    [
      'a refresh-typed token with the access audience',
      () => `Token ${forge(header({ typ: 'refresh+jwt' }), claims(), keys.privateKey)}`,
    ],
    [
      'a sub that is not a user id',
      () => `Token ${forge(header(), claims({ sub: 'admin' }), keys.privateKey)}`,
    ],
  ];

  test.each(cases)(
    'when the token is %s, then 401 with the same generic body',
    async (_name, build) => {
      const res = await probe(build()).expect(401);
      expect(res.body.errors).toEqual(INVALID);
      expect(res.headers['www-authenticate']).toContain('invalid_token');
    },
  );

  test('when verifyAccessToken is called directly with garbage, then it throws the same 401 AppError', () => {
    expect(() => t.auth.verifyAccessToken('x'.repeat(10_000))).toThrow(
      expect.objectContaining({ status: 401, details: INVALID }),
    );
  });

  test('when an access token is sent to the refresh endpoint, then 401 (the kinds cannot be confused)', async () => {
    const res = await request(t.app)
      .post('/api/auth/refresh')
      .send({ refreshToken: tokens.accessToken })
      .expect(401);
    expect(res.body.errors).toEqual(INVALID);
  });

  test('when the token is valid on a public route, then the identity is still read', async () => {
    const res = await request(t.app)
      .get('/api/public')
      .set('Authorization', `Token ${tokens.accessToken}`)
      .expect(200);
    expect(res.body.auth).toMatchObject({ userId: user.id });
  });
});

describe('JWKS', () => {
  test('when another service fetches /.well-known/jwks.json, then it can verify our token with the published key (by kid)', async () => {
    const res = await request(t.app).get('/.well-known/jwks.json').expect(200);
    const body = res.body as { keys: (Record<string, string> & { kid: string })[] };
    expect(body.keys).toHaveLength(1);
    const jwk = body.keys.find((k) => k.kid === kid);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    // Exactly the public members: no `d` (the private scalar), nothing else a key could leak.
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const key = createPublicKey({ key: jwk!, format: 'jwk' });
    const payload = jwt.verify(tokens.accessToken, key, {
      algorithms: ['ES256'],
      audience: AUDIENCE,
      issuer: ISSUER,
    }) as jwt.JwtPayload;
    expect(payload.sub).toBe(String(user.id));
    expect(jwt.decode(tokens.accessToken, { complete: true })?.header).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid,
    });
  });
});

describe('key rotation', () => {
  test('when the signing key is replaced and the old public key is kept in JWT_PREVIOUS_PUBLIC_KEYS, then old tokens still verify until it is removed', async () => {
    const next = pemKeyPair();
    const base = {
      NODE_ENV: 'test',
      JWT_PRIVATE_KEY: next.privatePem,
      JWT_PUBLIC_KEY: next.publicPem,
    };
    const rotated = createAuth({
      pool: t.db.pool,
      redis: t.redis.redis,
      config: loadConfig(authConfigShape, { ...base, JWT_PREVIOUS_PUBLIC_KEYS: keys.publicPem }),
    });
    expect(rotated.verifyAccessToken(tokens.accessToken)).toMatchObject({
      userId: String(user.id),
    });
    expect(rotated.jwks().keys.map((k) => k.kid)).toEqual([expect.any(String), kid]);
    const fresh = await rotated.issueTokens(user);
    expect(jwt.decode(fresh.accessToken, { complete: true })?.header.kid).not.toBe(kid);

    const retired = createAuth({
      pool: t.db.pool,
      redis: t.redis.redis,
      config: loadConfig(authConfigShape, base),
    });
    expect(() => retired.verifyAccessToken(tokens.accessToken)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
    expect(retired.verifyAccessToken(fresh.accessToken)).toMatchObject({ userId: String(user.id) });
  });
});

describe('the RealWorld access token (issueAccessToken)', () => {
  it('when issued, then it is an at+jwt living CONDUIT_TOKEN_TTL_SECONDS, accepted by the same verifier, with no refresh family', async () => {
    const families = async () =>
      Number(
        (
          await t.db.pool.query<{ n: string }>(
            'SELECT count(*) AS n FROM refresh_token_families WHERE user_id = $1',
            [user.id],
          )
        ).rows[0]!.n,
      );
    const before = await families();
    const { accessToken, expiresIn } = t.auth.issueAccessToken(user);
    expect(expiresIn).toBe(86_400);
    const decoded = jwt.decode(accessToken, { complete: true });
    expect(decoded?.header).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const payload = decoded?.payload as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(86_400);
    expect(t.auth.verifyAccessToken(accessToken)).toMatchObject({ userId: String(user.id) });
    await request(t.app)
      .get('/auth/session/me')
      .set('Authorization', `Token ${accessToken}`)
      .expect(200);
    expect(await families()).toBe(before);
  });
});

describe('a bad token where no identity is required', () => {
  it('when a public route gets a forged token, then it is served as anonymous with WWW-Authenticate; a protected one is 401', async () => {
    const forgedToken = `${tokens.accessToken.slice(0, tokens.accessToken.lastIndexOf('.'))}.AAAA`;
    const open = await request(t.app)
      .get('/.well-known/jwks.json')
      .set('Authorization', `Token ${forgedToken}`)
      .expect(200);
    expect(open.body).toHaveProperty('keys');
    expect(open.headers['www-authenticate']).toContain('error="invalid_token"');
    const closed = await request(t.app)
      .get('/auth/session/me')
      .set('Authorization', `Token ${forgedToken}`)
      .expect(401);
    expect(closed.body).toMatchObject({ errors: { token: ['is invalid'] } });
    expect(closed.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

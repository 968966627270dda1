import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '@roadmap/kit';
import { DEFAULT_PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password-rules';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every variable this package reads. Apps merge it into their own shape:
 * `loadConfig({ ...authConfigShape, ...mine })`. Documented in the README and .env.example.
 */
export const authConfigShape = {
  /** PEM keys for ES256. Required in production; generated into .secrets/ in development. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  /** Retired public keys still accepted for verification (key rotation), PEM blocks. */
  JWT_PREVIOUS_PUBLIC_KEYS: z.string().optional(),
  /** Where development keys and the development session secret are written (git-ignored). */
  AUTH_SECRETS_DIR: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('roadmap-conduit'),
  JWT_AUDIENCE: z.string().min(1).default('conduit-api'),
  JWT_ACCESS_TTL_SECONDS: seconds(15 * 60),
  JWT_REFRESH_TTL_SECONDS: seconds(14 * 24 * 60 * 60),
  /**
   * Lifetime of the access token in the RealWorld `user.token` (register, login, GET/PUT /user).
   * Longer than JWT_ACCESS_TTL_SECONDS because RealWorld front ends have no refresh flow.
   */
  CONDUIT_TOKEN_TTL_SECONDS: seconds(24 * 60 * 60),
  /**
   * How long Redis keeps its copy of a user's token generation (PostgreSQL holds the truth).
   * Revocation is immediate while Redis is up; if Redis missed a revocation (it was down), an
   * old token can pass for at most this long.
   */
  TOKEN_GENERATION_CACHE_SECONDS: seconds(60),

  /** Signs the session cookie. Required in production (at least 32 characters). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('conduit.sid'),
  /** Idle timeout (sliding: each request pushes it back)… */
  SESSION_TTL_SECONDS: seconds(2 * 60 * 60),
  /** …and absolute lifetime since login, whatever the activity. */
  SESSION_ABSOLUTE_TTL_SECONDS: seconds(24 * 60 * 60),
  /**
   * `secure` cookies need HTTPS; behind a TLS-terminating proxy also set TRUST_PROXY.
   * Unset: on in production, off elsewhere (see sessionCookieSecure()).
   */
  SESSION_COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1')),
  /** Origins allowed to send session-authenticated state changes (comma-separated). */
  APP_ORIGINS: z
    .string()
    .default('http://localhost:3000')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),

  PASSWORD_MIN_LENGTH: z.coerce
    .number()
    .int()
    .min(DEFAULT_PASSWORD_MIN_LENGTH)
    .max(PASSWORD_MAX_LENGTH)
    .default(DEFAULT_PASSWORD_MIN_LENGTH),
  /** Argon2id cost; the defaults are OWASP's first recommendation (19 MiB, t=2, p=1). */
  ARGON2_MEMORY_KIB: z.coerce
    .number()
    .int()
    .min(8 * 1024)
    .default(19 * 1024),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
  /** How many hashes may run at once; 0 means "CPU count − 1, at least 1". */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(0).default(0),

  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_ACCOUNT_WINDOW_SECONDS: seconds(15 * 60),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(100),
  LOGIN_IP_WINDOW_SECONDS: seconds(15 * 60),

  /** OAuth2 login; enabled when OAUTH_CLIENT_ID is set. GitHub values in the README. */
  OAUTH_PROVIDER: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('github'),
  OAUTH_AUTHORIZATION_URL: z.url().optional(),
  OAUTH_TOKEN_URL: z.url().optional(),
  OAUTH_USERINFO_URL: z.url().optional(),
  OAUTH_CLIENT_ID: z.string().optional(),
  OAUTH_CLIENT_SECRET: z.string().optional(),
  OAUTH_SCOPES: z.string().default('read:user user:email'),
  OAUTH_CALLBACK_URL: z.url().optional(),
  /** Where the browser goes after a successful OAuth login; unset = JSON response. */
  OAUTH_SUCCESS_REDIRECT: z.string().optional(),
};

export type AuthConfig = Config<typeof authConfigShape>;

/**
 * Whether the session cookie is `Secure`: SESSION_COOKIE_SECURE when set, else production's
 * default, on. Why a default by environment: a production cookie without `Secure` can leak over
 * any plain-HTTP request to the domain, and nobody should have to remember to turn it on.
 */
export function sessionCookieSecure(
  config: Pick<AuthConfig, 'SESSION_COOKIE_SECURE' | 'NODE_ENV'>,
): boolean {
  return config.SESSION_COOKIE_SECURE ?? config.NODE_ENV === 'production';
}

/** Reads and checks the auth variables; production refuses to start without its secrets. */
export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const config = loadConfig(authConfigShape, env);
  assertProductionSecrets(config);
  return config;
}

export function assertProductionSecrets(config: AuthConfig): void {
  if (config.NODE_ENV !== 'production') return;
  const missing = [
    !config.JWT_PRIVATE_KEY && 'JWT_PRIVATE_KEY',
    !config.JWT_PUBLIC_KEY && 'JWT_PUBLIC_KEY',
    !config.SESSION_SECRET && 'SESSION_SECRET',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration — ${missing.join(', ')} must be set in production (no generated secrets outside development). See .env.example.`,
    );
  }
}

/** The OAuth2 provider settings, or null when OAuth login is not configured. */
export function oauthSettings(config: AuthConfig) {
  const {
    OAUTH_AUTHORIZATION_URL,
    OAUTH_TOKEN_URL,
    OAUTH_USERINFO_URL,
    OAUTH_CLIENT_ID,
    OAUTH_CLIENT_SECRET,
    OAUTH_CALLBACK_URL,
  } = config;
  if (!OAUTH_CLIENT_ID) return null;
  if (
    !OAUTH_AUTHORIZATION_URL ||
    !OAUTH_TOKEN_URL ||
    !OAUTH_USERINFO_URL ||
    !OAUTH_CLIENT_SECRET ||
    !OAUTH_CALLBACK_URL
  ) {
    throw new ConfigError(
      'Invalid configuration — OAUTH_CLIENT_ID is set, so OAUTH_CLIENT_SECRET, OAUTH_AUTHORIZATION_URL, OAUTH_TOKEN_URL, OAUTH_USERINFO_URL and OAUTH_CALLBACK_URL must be set too. See .env.example.',
    );
  }
  return {
    provider: config.OAUTH_PROVIDER,
    authorizationURL: OAUTH_AUTHORIZATION_URL,
    tokenURL: OAUTH_TOKEN_URL,
    userInfoURL: OAUTH_USERINFO_URL,
    clientID: OAUTH_CLIENT_ID,
    clientSecret: OAUTH_CLIENT_SECRET,
    callbackURL: OAUTH_CALLBACK_URL,
    scopes: config.OAUTH_SCOPES.split(/[\s,]+/).filter(Boolean),
    successRedirect: config.OAUTH_SUCCESS_REDIRECT,
  };
}
export type OAuthSettings = NonNullable<ReturnType<typeof oauthSettings>>;

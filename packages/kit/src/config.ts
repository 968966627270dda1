import { z } from 'zod';

/**
 * The socket timeouts every server of the project sets on purpose (Node's defaults let a
 * client hold a connection for a minute sending nothing, or five minutes trickling a request):
 * each held socket costs memory and a file descriptor, so a few thousand slow clients are a
 * denial of service. Merged into each app's config; documented in the kit README.
 */
export const httpTimeoutsShape = {
  /** The request line and all headers must arrive within this, from the first byte (or the
   *  connection, for a socket that sends nothing); else 408 and the socket closes. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** The whole request, body included, must arrive within this (0 turns it off). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** An idle keep-alive connection is closed after this. Behind a load balancer, make it
   *  longer than the balancer's own idle timeout, or it may reuse a socket we just closed. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
};

/**
 * Why one typed module: every variable is read and checked once, at start-up, so a typo in
 * `.env` stops the process with one clear line instead of failing later inside a request.
 */
export const baseEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long graceful shutdown waits for in-flight requests before it cuts them off. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  ...httpTimeoutsShape,
  /** After SIGTERM, serve this long with readiness 503 before closing (behind a load balancer). */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Shape = Record<string, z.ZodType>;
export type Config<S extends Shape> = Readonly<z.infer<z.ZodObject<typeof baseEnvShape & S>>>;

/**
 * Validates `env` (default: process.env) against the base variables plus the app's own.
 * Throws a ConfigError whose message names every bad variable on one line.
 */
export function loadConfig<S extends Shape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): Config<S> {
  // Why: an empty string in .env ("PORT=") means "not set", not "set to nothing".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = z.object({ ...baseEnvShape, ...shape }).safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${key}: ${issue.message}${shown(key, env[key])}`;
    });
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}. See .env.example.`);
  }
  return Object.freeze(result.data);
}

/** Variables whose value must never reach a log or a terminal, even when it is rejected. */
const SECRET_NAME = /SECRET|PASSWORD|PRIVATE|TOKEN|_KEYS?$/i;

/** How a rejected value is quoted in the error: secrets and URL credentials are not echoed. */
function shown(key: string, got: string | undefined): string {
  if (got === undefined) return ' (not set)';
  if (SECRET_NAME.test(key)) return ` (got ${got.length} characters, value hidden)`;
  // A connection URL may carry a password (postgres://user:secret@host/db).
  return ` (got "${got.replace(/\/\/[^/@\s]*@/, '//***@')}")`;
}

/** A TCP port from the environment, with the app's conventional default. */
export const port = (defaultPort: number) => {
  // One message for every way to get it wrong ("abc", 3.5, -1, 70000): zod's own would say
  // "expected number, received NaN", which is true but not what the reader needs.
  const error = 'must be a whole number from 0 to 65535';
  return z.coerce
    .number({ error })
    .int({ error })
    .min(0, { error })
    .max(65_535, { error })
    .default(defaultPort);
};

/**
 * A comma-separated list (`a, b,c` → ['a', 'b', 'c']); `none` is the empty list, because an
 * empty value means "unset" in .env files and would bring the default back.
 */
export const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value.trim() === 'none'
        ? []
        : value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean),
    );

/** A connection URL with the given schemes, e.g. url(['postgres:', 'postgresql:']). */
export const url = (protocols: string[], fallback?: string) => {
  const schema = z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
  return fallback === undefined ? schema : schema.default(fallback);
};

/**
 * Express's "trust proxy", parsed once for every app: unset or `false` → off, `true` → trust
 * every hop, a number → that many hops, anything else (`loopback`, a CIDR list) as given.
 * Set it behind a reverse proxy, so req.ip is the client's address and `secure` cookies work.
 */
export const trustProxy = () =>
  z
    .string()
    .optional()
    .transform((value): boolean | number | string => {
      if (value === undefined || value === 'false') return false;
      if (value === 'true') return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    });

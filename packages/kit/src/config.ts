import { z } from 'zod';

/**
 * Why one typed module: every variable is read and checked once, at start-up, so a typo in
 * `.env` stops the process with one clear line instead of failing later inside a request.
 */
export const baseEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long graceful shutdown waits for in-flight requests before it cuts them off. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
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
export const port = (defaultPort: number) =>
  z.coerce.number().int().min(0).max(65_535).default(defaultPort);

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

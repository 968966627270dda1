import path from 'node:path';
import { DEFAULT_CERT_DIR } from './tls/certificate';
import { isLogLevel, type LogLevel } from './http/logger';
import { type OriginPolicy } from './lessons/cors.routes';

/**
 * Configuration, read once at start-up from the environment and checked: a bad value stops
 * the server with one clear line instead of surfacing later as a strange bug. (The other
 * packages use the kit's zod-based `loadConfig`; basics uses no workspace package.)
 */
export interface Config {
  port: number;
  httpsPort: number;
  /** Interface to listen on; undefined = every interface (Node's default). */
  host: string | undefined;
  certDir: string;
  maxBodyBytes: number;
  /** Origins allowed by the CORS lesson; undefined = any localhost port. */
  corsOrigins: OriginPolicy | undefined;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The repository's .env.example documents pino's level names for every app; `pnpm start` hands
 * the same environment to basics, so the two names this small logger lacks map to the nearest.
 */
const LEVEL_ALIASES: Record<string, LogLevel> = { fatal: 'error', trace: 'debug' };

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const rawLevel = env.LOG_LEVEL || 'info';
  const logLevel = LEVEL_ALIASES[rawLevel] ?? rawLevel;
  if (!isLogLevel(logLevel))
    throw new ConfigError(
      `LOG_LEVEL must be trace, debug, info, warn, error, fatal or silent (got "${rawLevel}").`,
    );
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    httpsPort: integer(env, 'HTTPS_PORT', 8443, 0, 65535),
    host: env.HOST || undefined,
    certDir: env.CERT_DIR ? path.resolve(env.CERT_DIR) : DEFAULT_CERT_DIR,
    maxBodyBytes: integer(env, 'BODY_LIMIT_BYTES', 16 * 1024, 1, 10 * 1024 * 1024),
    corsOrigins: originPolicy(env.CORS_ORIGINS),
    logLevel,
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

/**
 * CORS_ORIGINS is shared with the REST API (.env.example sets it to `*`). Why `*` means "any
 * origin" here too: read as a literal origin it would match none, and the CORS lesson would
 * silently stop working under `pnpm start`. No route of this lesson sends credentials.
 */
function originPolicy(raw: string | undefined): OriginPolicy | undefined {
  if (!raw) return undefined;
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.includes('*')) return () => true;
  return list.length > 0 ? list : undefined;
}

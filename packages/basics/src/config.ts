import path from 'node:path';
import { DEFAULT_CERT_DIR } from './tls/certificate';
import { isLogLevel, type LogLevel } from './http/logger';

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
  /** Exact origins allowed by the CORS lesson; undefined = any localhost port. */
  corsOrigins: string[] | undefined;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel))
    throw new ConfigError(
      `LOG_LEVEL must be debug, info, warn, error or silent (got "${logLevel}").`,
    );
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    httpsPort: integer(env, 'HTTPS_PORT', 8443, 0, 65535),
    host: env.HOST || undefined,
    certDir: env.CERT_DIR ? path.resolve(env.CERT_DIR) : DEFAULT_CERT_DIR,
    maxBodyBytes: integer(env, 'BODY_LIMIT_BYTES', 16 * 1024, 1, 10 * 1024 * 1024),
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : undefined,
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

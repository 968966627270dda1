import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, logger } from '@roadmap/kit';
import type { AuthConfig } from './config';

export interface SigningKeys {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public half as a JSON Web Key, for /.well-known/jwks.json. */
  jwk: Record<string, string>;
}

/** A key we still accept but no longer sign with (key rotation). */
export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
  jwk: Record<string, string>;
}

/**
 * JWT_PREVIOUS_PUBLIC_KEYS: the public keys of retired signing keys (PEM blocks, one after the
 * other). Rotation: deploy the new key pair with the old public key here; tokens signed before
 * keep verifying until they expire; remove it after one access-token lifetime.
 */
export function loadPreviousKeys(config: AuthConfig): VerificationKey[] {
  const pem = config.JWT_PREVIOUS_PUBLIC_KEYS ? unescapePem(config.JWT_PREVIOUS_PUBLIC_KEYS) : '';
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((block) => {
    const publicKey = readKey(createPublicKey, block, 'JWT_PREVIOUS_PUBLIC_KEYS');
    if (publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new ConfigError(
        'Invalid configuration — JWT_PREVIOUS_PUBLIC_KEYS must hold EC P-256 public keys.',
      );
    }
    const { jwk, kid } = publicJwk(publicKey);
    return { kid, publicKey, jwk };
  });
}

/**
 * ES256 keys: from JWT_PRIVATE_KEY / JWT_PUBLIC_KEY (PEM) when set; otherwise, in development,
 * generated once into the git-ignored secrets folder; in tests, generated in memory.
 */
export function loadSigningKeys(config: AuthConfig): SigningKeys {
  if (config.JWT_PRIVATE_KEY && config.JWT_PUBLIC_KEY) {
    return fromPem(unescapePem(config.JWT_PRIVATE_KEY), unescapePem(config.JWT_PUBLIC_KEY));
  }
  if (config.JWT_PRIVATE_KEY || config.JWT_PUBLIC_KEY) {
    throw new ConfigError(
      'Invalid configuration — set both JWT_PRIVATE_KEY and JWT_PUBLIC_KEY, or neither (development only).',
    );
  }
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration — JWT_PRIVATE_KEY and JWT_PUBLIC_KEY must be set in production.',
    );
  }
  if (config.NODE_ENV === 'test') return generateInMemory();
  return loadOrCreateDevelopmentKeys(secretsDir(config));
}

export function generateInMemory(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return withJwk(privateKey, publicKey);
}

function fromPem(privatePem: string, publicPem: string): SigningKeys {
  const privateKey = readKey(createPrivateKey, privatePem, 'JWT_PRIVATE_KEY');
  const publicKey = readKey(createPublicKey, publicPem, 'JWT_PUBLIC_KEY');
  if (
    privateKey.asymmetricKeyType !== 'ec' ||
    privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new ConfigError(
      'Invalid configuration — JWT_PRIVATE_KEY must be an EC P-256 key (ES256).',
    );
  }
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (!derived.equals(publicKey.export({ format: 'der', type: 'spki' }))) {
    throw new ConfigError(
      'Invalid configuration — JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY.',
    );
  }
  return withJwk(privateKey, publicKey);
}

/** A PEM the crypto module cannot read is a configuration error (one line, the key not echoed). */
function readKey(read: (pem: string) => KeyObject, pem: string, name: string): KeyObject {
  try {
    return read(pem);
  } catch {
    throw new ConfigError(`Invalid configuration — ${name} is not a readable PEM key.`);
  }
}

function withJwk(privateKey: KeyObject, publicKey: KeyObject): SigningKeys {
  return { privateKey, publicKey, ...publicJwk(publicKey) };
}

function publicJwk(publicKey: KeyObject): { kid: string; jwk: Record<string, string> } {
  const { crv, kty, x, y } = publicKey.export({ format: 'jwk' });
  if (!crv || !kty || !x || !y) throw new Error('ES256 public key could not be exported as a JWK');
  // Why an RFC 7638 thumbprint as kid: it is derived from the key itself, so every instance
  // that loads the same key announces the same kid, and a new key gets a new one for free.
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  return { kid, jwk: { kty, crv, x, y, kid, use: 'sig', alg: 'ES256' } };
}

/** Env files often hold a PEM on one line with literal "\n". */
export function unescapePem(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

/** The repository root (where pnpm-workspace.yaml is) + `.secrets`, unless AUTH_SECRETS_DIR says otherwise. */
export function secretsDir(config: AuthConfig): string {
  if (config.AUTH_SECRETS_DIR) return path.resolve(config.AUTH_SECRETS_DIR);
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('.secrets');
    dir = parent;
  }
  return path.join(dir, '.secrets');
}

function loadOrCreateDevelopmentKeys(dir: string): SigningKeys {
  const privatePath = path.join(dir, 'jwt-es256-private.pem');
  const publicPath = path.join(dir, 'jwt-es256-public.pem');
  if (!fs.existsSync(privatePath) || !fs.existsSync(publicPath)) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    fs.writeFileSync(publicPath, publicKey.export({ format: 'pem', type: 'spki' }), {
      mode: 0o644,
    });
    logger.warn(
      { dir },
      'JWT_PRIVATE_KEY/JWT_PUBLIC_KEY not set: generated a development ES256 key pair (git-ignored, never for production)',
    );
  }
  return fromPem(fs.readFileSync(privatePath, 'utf8'), fs.readFileSync(publicPath, 'utf8'));
}

/** SESSION_SECRET, or a development secret generated once next to the development keys. */
export function loadSessionSecret(config: AuthConfig): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (config.NODE_ENV === 'production')
    throw new ConfigError('Invalid configuration — SESSION_SECRET must be set in production.');
  if (config.NODE_ENV === 'test') return randomBytes(32).toString('base64url');
  const file = path.join(secretsDir(config), 'session-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    logger.warn(
      { file },
      'SESSION_SECRET not set: generated a development secret (git-ignored, never for production)',
    );
  }
  return fs.readFileSync(file, 'utf8').trim();
}

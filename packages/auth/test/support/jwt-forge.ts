import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A fresh ES256 key pair as PEM, to hand to the app through JWT_PRIVATE_KEY / JWT_PUBLIC_KEY. */
export function pemKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Builds a JWS by hand, so a test can produce exactly the malicious token it needs (odd
 * headers, missing claims) — jsonwebtoken.sign would refuse or "fix" most of them.
 */
export function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key?: KeyObject | string,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (key === undefined) return `${input}.`;
  if (typeof key === 'string')
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

export const now = () => Math.floor(Date.now() / 1000);

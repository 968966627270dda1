import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import selfsigned from 'selfsigned';

/**
 * HTTPS needs a certificate and its private key. In production a CA (e.g. Let's Encrypt)
 * signs the certificate; here we sign our own at first start, valid for localhost,
 * 127.0.0.1 and ::1. The folder is git-ignored: a private key is never committed.
 */
export const DEFAULT_CERT_DIR = path.join(__dirname, '..', '..', '.certs');

export interface Credentials {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, to compare with what the browser shows. */
  fingerprint256: string;
  validTo: string;
  /** True when this call generated a new certificate. */
  created: boolean;
}

export async function ensureCertificate(dir: string = DEFAULT_CERT_DIR): Promise<Credentials> {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const existing = await readPair(keyPath, certPath);
  if (existing) return { ...existing, created: false };

  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + 365 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', // P-256: a small, fast key; RSA-2048 works too, just slower to make.
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      // Browsers ignore the common name: the names a certificate covers are its SANs.
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Why 0600: only this user may read the private key.
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  const x509 = new X509Certificate(pems.cert);
  return {
    key: pems.private,
    cert: pems.cert,
    fingerprint256: x509.fingerprint256,
    validTo: x509.validTo,
    created: true,
  };
}

/** The saved pair, or null if it is missing, unreadable or expires within a day. */
async function readPair(
  keyPath: string,
  certPath: string,
): Promise<Omit<Credentials, 'created'> | null> {
  try {
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - Date.now() < 24 * 3600 * 1000) return null;
    if (!x509.checkPrivateKey(createPrivateKey(key))) return null;
    return { key, cert, fingerprint256: x509.fingerprint256, validTo: x509.validTo };
  } catch {
    return null;
  }
}

import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { buildApp, buildHttpsServer } from '../src/server';
import { DEFAULT_CERT_DIR, ensureCertificate, type Credentials } from '../src/tls/certificate';

let dir: string;
let credentials: Credentials;
let server: https.Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'basics-certs-'));
  credentials = await ensureCertificate(dir);
  server = buildHttpsServer(buildApp(), credentials);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** GET over TLS, trusting exactly our certificate (the safe alternative to "insecure"). */
function getJson(
  pathname: string,
  options: https.RequestOptions = { ca: credentials.cert },
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: 'localhost', port, path: pathname, ...options }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('HTTPS with a self-signed certificate', () => {
  it('when no certificate exists, then one is created for localhost with a private key only the owner can read', async () => {
    expect(credentials.created).toBe(true);
    expect(credentials.cert).toContain('BEGIN CERTIFICATE');
    expect((await stat(path.join(dir, 'key.pem'))).mode & 0o777).toBe(0o600);
  });

  it('when the server starts again, then the saved certificate is reused', async () => {
    const again = await ensureCertificate(dir);
    expect(again.created).toBe(false);
    expect(again.fingerprint256).toBe(credentials.fingerprint256);
  });

  it('when /tls is asked over TLS, then it reports the negotiated protocol, cipher and certificate', async () => {
    const { status, body } = await getJson('/tls');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      encrypted: true,
      protocol: 'TLSv1.3',
      alpnProtocol: null,
      serverName: 'localhost',
      certificate: {
        subject: { CN: 'localhost' },
        selfSigned: true,
        fingerprint256: credentials.fingerprint256,
      },
    });
    expect((body.cipher as { name: string }).name).toMatch(/^TLS_/);
    expect((body.certificate as { subjectAltName: string }).subjectAltName).toContain(
      'IP Address:127.0.0.1',
    );
  });

  it('when a client does not trust the certificate, then the handshake fails with a self-signed error', async () => {
    await expect(getJson('/tls', {})).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('when the same lesson is asked over plain HTTP, then it says the request was not encrypted', async () => {
    const res = await request(buildApp({ httpsPort: 9443 }).listener)
      .get('/tls')
      .expect(200);
    expect(res.body).toMatchObject({ encrypted: false, try: 'https://localhost:9443/tls' });
  });

  it('when plain HTTP is sent to the HTTPS port, then the connection is refused and the server keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
    expect((await getJson('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('when a certificate is generated in the package, then git ignores its folder (no key is ever committed)', () => {
    const repo = path.join(__dirname, '..', '..', '..');
    const ignored = execFileSync('git', ['check-ignore', path.join(DEFAULT_CERT_DIR, 'key.pem')], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(ignored.trim()).toBe(path.join(DEFAULT_CERT_DIR, 'key.pem'));
  });
});

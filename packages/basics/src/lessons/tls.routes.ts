import { TLSSocket } from 'node:tls';
import { sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: what TLS adds to HTTP. The HTTP messages are identical; underneath, the TLS
 * handshake has agreed on a protocol version and a cipher suite, and proved with a
 * certificate that the server holds the private key for the name you typed.
 */
const whatTlsGives = [
  'Confidentiality: nobody on the path can read the requests and responses.',
  'Integrity: nobody on the path can change them without the change being detected.',
  'Authentication: the certificate proves who the server is — if a CA you trust signed it. ' +
    'This one is self-signed, so your browser warns: the encryption works, the identity is unproven.',
];

export function registerTlsRoutes(router: Router, settings: Settings): void {
  router.on('GET', '/tls', ({ req, res }) => {
    const socket = req.socket;
    if (!(socket instanceof TLSSocket)) {
      return sendJson(res, 200, {
        encrypted: false,
        explanation:
          'This request came over plain HTTP: anyone on the path could read or change it.',
        try: `https://localhost:${settings.httpsPort}/tls`,
        whatTlsGives,
      });
    }
    const cipher = socket.getCipher();
    const certificate = socket.getCertificate();
    const cert = certificate && 'subject' in certificate ? certificate : null;
    sendJson(res, 200, {
      encrypted: true,
      protocol: socket.getProtocol(),
      cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
      alpnProtocol: socket.alpnProtocol || null,
      // SNI: the host name the client asked for, sent in clear text during the handshake.
      serverName: (socket as TLSSocket & { servername?: string | false }).servername || null,
      sessionReused: socket.isSessionReused(),
      certificate: cert && {
        subject: cert.subject,
        issuer: cert.issuer,
        subjectAltName: cert.subjectaltname,
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
        fingerprint256: cert.fingerprint256,
        selfSigned: JSON.stringify(cert.subject) === JSON.stringify(cert.issuer),
      },
      whatTlsGives,
    });
  });
}

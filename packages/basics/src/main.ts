import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { buildApp, buildHttpsServer, buildServer } from './server';
import { ConfigError, readConfig } from './config';
import { createLogger } from './http/logger';
import { ensureCertificate } from './tls/certificate';

/**
 * Start-up: read config, make sure a certificate exists, listen on HTTP and HTTPS, and on
 * SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, then exit.
 * Everything above this file is built without listening, so tests never need a fixed port.
 */
export async function main(): Promise<{ close: () => Promise<void> }> {
  // Why: if whoever reads our output goes away (a closed pipe: `pnpm start | head`), writing a
  // log line fails with EPIPE; that must not take the server down with it.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const credentials = await ensureCertificate(config.certDir);
  const app = buildApp({
    logger,
    httpsPort: config.httpsPort,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
  });
  const http = buildServer(app);
  const https = buildHttpsServer(app, credentials);
  await Promise.all([
    listen(http, config.port, config.host),
    listen(https, config.httpsPort, config.host),
  ]);

  const httpPort = (http.address() as AddressInfo).port;
  const httpsPort = (https.address() as AddressInfo).port;
  console.log(
    [
      `basics: the lesson page  http://localhost:${httpPort}/`,
      `basics: over TLS         https://localhost:${httpsPort}/tls`,
      `basics: certificate ${credentials.created ? 'created' : 'reused'} in ${config.certDir} (SHA-256 ${credentials.fingerprint256.slice(0, 23)}…, valid to ${credentials.validTo})`,
      'basics: press Ctrl+C to stop',
    ].join('\n'),
  );

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= Promise.all([stop(http), stop(https)]).then(() => undefined));
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info('shutting down', { signal });
    // Why a deadline: a client holding a stream open must not keep the process alive forever.
    const force = setTimeout(() => {
      http.closeAllConnections();
      https.closeAllConnections();
    }, 5000).unref();
    void close().then(() => {
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { close };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve()); // stops accepting; resolves when open connections end
    server.closeIdleConnections(); // keep-alive sockets with no request in flight end now
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    // One line, not a stack trace, for the errors a user can fix (bad env, port in use).
    const code = (err as { code?: string }).code;
    if (err instanceof ConfigError) console.error(`basics: configuration error: ${err.message}`);
    else if (code === 'EADDRINUSE')
      console.error(
        `basics: ${(err as Error).message} — is another server on that port? Set PORT/HTTPS_PORT.`,
      );
    else console.error('basics: failed to start:', err);
    process.exit(1);
  });
}

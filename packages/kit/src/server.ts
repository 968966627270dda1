import http, { type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { type Health } from './health';
import { closeAll, onShutdown, type Closer } from './lifecycle';
import { logger as defaultLogger, type Logger } from './logger';

export interface StartOptions {
  app: Express;
  health: Health;
  port: number;
  host?: string;
  name: string;
  /** Closed after the server has drained, in this order. */
  closers?: Closer[];
  /** In-flight requests get this long to finish before their connections are cut. */
  shutdownTimeoutMs?: number;
  /**
   * After SIGTERM, keep serving this long with readiness already 503, so the load balancer
   * stops routing here before the listening socket closes (SHUTDOWN_DRAIN_DELAY_MS; default 0).
   */
  drainDelayMs?: number;
  logger?: Logger;
  /** Register SIGTERM/SIGINT handling (default true; tests that call shutdown() pass false). */
  handleSignals?: boolean;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  shutdown: (reason?: string) => Promise<void>;
}

/** Listens, and knows how to stop gracefully. Building the app is someone else's job. */
export async function startHttpServer(options: StartOptions): Promise<RunningServer> {
  const log = options.logger ?? defaultLogger;
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const drainDelayMs = options.drainDelayMs ?? 0;
  const server = http.createServer(options.app);
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  log.info({ service: options.name, url }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown'): Promise<void> => {
    stopping ??= (async () => {
      log.info({ service: options.name, reason, inFlight: inFlight.size }, 'draining');
      // 1. Readiness turns 503 so a load balancer stops sending traffic; while it notices,
      //    requests are still served (each answer closes its keep-alive connection).
      options.health.markShuttingDown();
      // 2. Responses still being written close their connection when done.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      options.health.markClosing();
      const deadline = Date.now() + timeoutMs;
      // 3. Stop accepting connections; idle keep-alive sockets are closed now, busy ones
      //    when their response ends.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(
        () => {
          log.warn(
            { service: options.name, inFlight: inFlight.size },
            'shutdown timeout: cutting connections',
          );
          server.closeAllConnections();
        },
        Math.max(0, deadline - Date.now()),
      );
      timer.unref();
      await closed;
      clearTimeout(timer);
      // 4. Only now close the clients the requests were using.
      await closeAll(
        options.closers ?? [],
        Date.now() + Math.max(1_000, deadline - Date.now()),
        log,
      );
    })();
    return stopping;
  };

  if (options.handleSignals !== false) onShutdown(shutdown, log);
  return { server, url, port, shutdown };
}

import net from 'node:net';

export interface TcpProxy {
  /** `host:port` of the proxy; see proxiedUrl() to point a connection URL at it. */
  host: string;
  port: number;
  /** The given URL (postgres://, redis://, …) with its host and port replaced by the proxy's. */
  proxiedUrl: (target: string) => string;
  /** Closes every open connection and refuses new ones (ECONNREFUSED): the service is gone. */
  cut: () => Promise<void>;
  /**
   * Accepts connections but forwards nothing, either way, on open or new connections: a dead
   * network or a frozen server. Nothing is closed, so only the client's own timeouts end a wait.
   */
  blackhole: () => void;
  /** Back to normal: connections are accepted and forwarded again. */
  restore: () => Promise<void>;
  /** Stops the proxy for good. Call in afterAll. */
  close: () => Promise<void>;
}

type Mode = 'forward' | 'cut' | 'blackhole';

/**
 * A TCP proxy a test controls, put between an app and a real service, to test an outage
 * without touching the service other tests share: never stop the shared Redis or PostgreSQL.
 *
 * Why cut() closes the listening socket instead of rejecting inside the handler: a refused
 * connection (RST at connect) and one accepted then closed are different failures to a
 * client; "refused" is what a stopped server looks like.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'forward') client.write(chunk);
    });
    client.on('close', forget);
    upstream.on('close', forget);
    client.on('error', forget);
    upstream.on('error', forget);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });
  const destroyAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    proxiedUrl: (raw) => {
      const url = new URL(raw);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut: async () => {
      mode = 'cut';
      destroyAll();
      await stopListening();
    },
    blackhole: () => {
      mode = 'blackhole';
    },
    restore: async () => {
      // After a black hole, drop the half-dead connections: bytes swallowed mid-reply would
      // leave a client and server out of step on a connection that looks alive.
      if (mode === 'blackhole') destroyAll();
      mode = 'forward';
      if (!server.listening) await listen(port);
    },
    close: async () => {
      mode = 'cut';
      destroyAll();
      await stopListening();
    },
  };
}

/** The host and port of a connection URL (with the scheme's default port). */
export function hostAndPort(raw: string, defaultPort: number): { host: string; port: number } {
  const url = new URL(raw);
  return { host: url.hostname || '127.0.0.1', port: Number(url.port || defaultPort) };
}

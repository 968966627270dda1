import net from 'node:net';

export interface BlackholeProxy {
  /** The target URL with its host and port replaced by the proxy's. */
  url: string;
  /** From now on, bytes in either direction are dropped: a network gone silent. */
  swallow: () => void;
  /** Destroys every connection and stops listening. Call in a finally. */
  close: () => Promise<void>;
}

/**
 * A TCP proxy the test controls, put between a client and a shared service (PostgreSQL,
 * MariaDB, Redis, RabbitMQ…) to play an outage without stopping the service for everyone else.
 */
export async function createBlackholeProxy(
  target: string | URL,
  defaultPort: number,
): Promise<BlackholeProxy> {
  const parsed = new URL(target);
  let blackhole = false;
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(parsed.port || defaultPort), parsed.hostname);
    sockets.push(client, upstream);
    client.on('data', (chunk) => blackhole || upstream.write(chunk));
    upstream.on('data', (chunk) => blackhole || client.write(chunk));
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(parsed);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: url.toString(),
    swallow: () => {
      blackhole = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

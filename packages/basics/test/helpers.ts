import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { buildApp, buildServer, type AppOptions } from '../src/server';

/** A real server on a random free port (port 0), built exactly as main.ts builds it. */
export async function startServer(
  options: AppOptions = {},
): Promise<{ server: Server; port: number; url: string; close: () => Promise<void> }> {
  const server = buildServer(buildApp(options));
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

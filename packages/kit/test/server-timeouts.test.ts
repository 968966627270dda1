import net from 'node:net';
import { createHttpApp, finishHttpApp, startHttpServer, type RunningServer } from '../src/express';

let running: RunningServer;
beforeAll(async () => {
  const { app, health } = createHttpApp({ name: 'timeouts' });
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  finishHttpApp(app);
  running = await startHttpServer({
    app,
    health,
    port: 0,
    host: '127.0.0.1',
    name: 'timeouts',
    handleSignals: false,
    timeouts: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 300 },
  });
});
afterAll(async () => {
  await running.shutdown('test over');
});

/** Opens a socket, lets `drive` use it, and resolves with what the server sent once it closes. */
function untilClosed(drive: (socket: net.Socket) => () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(running.port, '127.0.0.1');
    let received = '';
    let stop = () => undefined as void;
    socket.on('connect', () => (stop = drive(socket)));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      stop();
      resolve(received);
    });
  });
}

describe('socket timeouts of the kit server', () => {
  it('when a client trickles its headers one line at a time, then it gets 408 and the socket is closed', async () => {
    const received = await untilClosed((socket) => {
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
      // A header every 100 ms: each byte resets no clock, the headers timeout still runs out.
      const trickle = setInterval(() => socket.write('X-Slow: yes\r\n'), 100);
      return () => clearInterval(trickle);
    });
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('when a client connects and sends nothing, then the socket is closed', async () => {
    const received = await untilClosed(() => () => undefined);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('when a keep-alive connection goes idle after a response, then the server closes it', async () => {
    const received = await untilClosed((socket) => {
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
      return () => undefined;
    });
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toContain('{"ok":true}');
  });
});

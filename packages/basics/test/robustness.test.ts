import request from 'supertest';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let port: number;
let close: () => Promise<void>;
beforeAll(async () => ({ server, port, close } = await startServer()));
afterAll(() => close());

/** Send bytes over a raw TCP socket; resolve with whatever came back before the close. */
function sendRaw(bytes: Buffer | string, { end = false } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (end) socket.end();
    });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (received += d));
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined); // a reset is an acceptable answer to garbage; 'close' follows
  });
}

describe('the server never crashes on bad input', () => {
  it('when garbage bytes arrive on a raw socket, then 400 Bad Request and the server keeps serving', async () => {
    const answer = await sendRaw(Buffer.from('\x00\x01\xff\xfe garbage \r\n\r\n', 'latin1'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('not a valid HTTP/1.1 request');
    await request(server).get('/healthz').expect(200, { status: 'ok' });
  });

  it('when many kinds of broken requests arrive at once, then each is refused and the server still answers', async () => {
    const inputs: (Buffer | string)[] = [
      randomBytes(4096),
      'GET / HTTP/9.9\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /body/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\nzz\r\nnot hex\r\n',
      'GET /\x7f HTTP/1.1\r\n\r\n',
      'BREW /coffee HTCPCP/1.0\r\n\r\n',
      'GET / HTTP/1.1\r\nBad Header Line\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 999999999\r\n\r\n',
      '\r\n\r\n\r\n',
    ];
    const answers = await Promise.all(inputs.map((input) => sendRaw(input)));
    for (const answer of answers) {
      if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 400 '))).not.toHaveLength(0);
    await request(server).get('/healthz').expect(200);
  });

  it('when CONNECT (a proxy request) or a WebSocket upgrade arrives, then it is closed or answered as plain HTTP', async () => {
    // Without a 'connect' listener Node closes CONNECT sockets; without an 'upgrade' listener
    // an Upgrade request is served as an ordinary request (no 101).
    expect(await sendRaw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toBe(
      '',
    );
    const upgrade = await sendRaw(
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
    expect(upgrade).not.toContain('101 Switching Protocols');
    await request(server).get('/healthz').expect(200);
  });

  it('when the headers are larger than 16 KiB, then 431', async () => {
    const answer = await sendRaw(
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await request(server).get('/healthz').expect(200);
  });

  it('when a client sends half a request and hangs up, then nothing breaks', async () => {
    await sendRaw(
      'POST /methods/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"te',
      { end: true },
    );
    await request(server).get('/healthz').expect(200);
  });

  it('when an unknown but valid method is used, then 405 with Allow (or 404 for an unknown path)', async () => {
    const res = await request(server).patch('/headers').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    await request(server).patch('/nowhere').expect(404);
  });
});

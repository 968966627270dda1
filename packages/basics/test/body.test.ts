import request from 'supertest';
import net from 'node:net';
import { type Server } from 'node:http';
import { startServer } from './helpers';

let server: Server;
let port: number;
let close: () => Promise<void>;
beforeAll(async () => ({ server, port, close } = await startServer({ maxBodyBytes: 1024 })));
afterAll(() => close());

/** Write raw bytes, collect everything until the server closes the connection. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('request bodies (/body/echo)', () => {
  it('when JSON is posted, then it is parsed and the framing is reported', async () => {
    const sent = JSON.stringify({ title: 'x', tags: ['a'] });
    const res = await request(server)
      .post('/body/echo')
      .set('Content-Type', 'application/json')
      .send(sent)
      .expect(200);
    expect(res.body).toMatchObject({
      framing: 'Content-Length',
      receivedBytes: Buffer.byteLength(sent),
      limitBytes: 1024,
      parsed: { title: 'x', tags: ['a'] },
    });
  });

  it('when a form is posted, then it is parsed as key/value pairs', async () => {
    const res = await request(server)
      .post('/body/echo')
      .type('form')
      .send('title=a+form&tag=b%26c')
      .expect(200);
    expect(res.body.parsed).toEqual({ title: 'a form', tag: 'b&c' });
  });

  it('when plain text is posted, then it comes back as a string', async () => {
    const res = await request(server)
      .post('/body/echo')
      .set('Content-Type', 'text/plain')
      .send('just text')
      .expect(200);
    expect(res.body.parsed).toBe('just text');
  });

  it('when the JSON is broken, then 400; when the type is unknown, then 415', async () => {
    const broken = await request(server)
      .post('/body/echo')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(broken.body.errors.body[0]).toContain('not valid JSON');
    const unknown = await request(server)
      .post('/body/echo')
      .set('Content-Type', 'image/png')
      .send('png?')
      .expect(415);
    expect(unknown.body.errors.body[0]).toContain('"image/png"');
  });

  it('when Content-Length announces more than the limit, then 413 with Connection: close', async () => {
    const res = await request(server)
      .post('/body/echo')
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(5000))
      .expect(413);
    expect(res.headers.connection).toBe('close');
    expect(res.body.errors.body[0]).toContain('1024 bytes');
  });

  it('when a chunked body grows past the limit, then 413 once the limit is crossed', async () => {
    const chunk = 'y'.repeat(600);
    const chunked = `${(600).toString(16)}\r\n${chunk}\r\n`;
    const answer = await rawExchange(
      'POST /body/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n' +
        chunked +
        chunked +
        chunked +
        '0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(answer).toContain('more than 1024 bytes arrived');
  });

  it('when a small chunked body is sent, then it is read in full and reported as chunked', async () => {
    const answer = await rawExchange(
      'POST /body/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain('"framing": "Transfer-Encoding: chunked"');
    expect(answer).toContain('"parsed": "hello world"');
  });

  it('when a client asks first (Expect: 100-continue) with a body over the limit, then 413 comes before any body is sent', async () => {
    const answer = await rawExchange(
      'POST /body/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 999999\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(answer).not.toContain('100 Continue');
  });

  it('when a client asks first with a body under the limit, then 100 Continue, and the body is read', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write(
          'POST /body/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
        ),
      );
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        received += d;
        // Only now, after the server said yes, does the body go out.
        if (received === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('hello');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain('"parsed": "hello"');
  });
});

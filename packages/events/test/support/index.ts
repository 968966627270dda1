import net from 'node:net';
import { createMigratedTestDatabase } from '@roadmap/data-sql/testing';
import type { TestAmqp, TestDatabase } from '@roadmap/kit/testing';
import { createEvent, type DomainEvent } from '../../src';

export type EventsDatabase = TestDatabase;

/** This test file's own migrated database (test_events_<label>_<random>). */
export function createEventsDatabase(label: string): Promise<EventsDatabase> {
  return createMigratedTestDatabase(`events_${label}`);
}

/** Registers a consumer's queue, its retry queues and its DLQ with the test's clean-up. */
export function consumerQueue(amqp: TestAmqp, suffix: string, retries: number): string {
  const queue = amqp.name(suffix);
  amqp.name(`${suffix}.dlq`);
  for (let i = 1; i <= retries; i++) amqp.name(`${suffix}.retry.${i}`);
  return queue;
}

let counter = 0;
/** A valid article.published event of the given aggregate. */
export function articlePublished(aggregate = `article:${++counter}`): DomainEvent {
  const articleId = Number(aggregate.split(':')[1] ?? 1) || 1;
  return createEvent({
    type: 'article.published',
    aggregateId: aggregate,
    data: {
      articleId,
      slug: `slug-${articleId}`,
      title: 'A title',
      authorId: 7,
      authorUsername: 'alice',
    },
  });
}

/**
 * A TCP proxy the test controls, put between a client and RabbitMQ (or PostgreSQL) to cut the
 * connection on demand — the shared broker itself is never touched. Why not kit's
 * createBlackholeProxy: these tests also need a cut the client recovers from (cut, setDown)
 * and a stall that loses no bytes (hold, release), not only a network gone silent.
 */
export class TcpProxy {
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();
  private pipes = new Set<[net.Socket, net.Socket]>();
  private held = false;
  private refusing = false;
  port = 0;
  /** Connections accepted so far (each reconnection of a client adds one). */
  connectionsOpened = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || 5672));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** The same URL, pointed at the proxy. */
  url(original: string): string {
    const parsed = new URL(original);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get connections(): number {
    return this.sockets.size / 2;
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    this.connectionsOpened++;
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      const pair: [net.Socket, net.Socket] = [a, b];
      this.sockets.add(a);
      this.pipes.add(pair);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.sockets.delete(a);
        this.pipes.delete(pair);
        b.destroy();
      });
      if (this.held) a.pause();
      else a.pipe(b);
    }
  }

  /** Drops every open connection (both sides), as a network failure would. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * Stops forwarding bytes without closing anything, as a stalled network would: a client
   * waiting for an answer (a publisher confirm) keeps waiting until release().
   */
  hold(): void {
    this.held = true;
    for (const [a, b] of this.pipes) {
      a.unpipe(b);
      a.pause();
    }
  }

  release(): void {
    this.held = false;
    for (const [a, b] of this.pipes) a.pipe(b);
  }

  /** While down, new connections are accepted and closed at once. */
  setDown(down: boolean): void {
    this.refusing = down;
    if (down) this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() returns true, or fails with the message after timeoutMs. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await sleep(25);
  }
}

import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { probeService, serviceUrl, unreachableMessage } from '../src';
import {
  assertTestDatabaseName,
  createBlackholeProxy,
  createTestAmqp,
  createTestDatabase,
  createTestRedis,
  dropTestDatabase,
} from '../src/testing';

describe('test database helper', () => {
  it('when a name does not mark a test database, then it refuses', async () => {
    expect(() => assertTestDatabaseName('conduit')).toThrow(/Refusing to use database "conduit"/);
    expect(() => assertTestDatabaseName('postgres')).toThrow(/Refusing/);
    await expect(dropTestDatabase('production')).rejects.toThrow(/Refusing/);
  });

  it('when two files ask for a database, then each gets its own, copied from one migrated template', async () => {
    let setups = 0;
    const setup = async (url: string) => {
      setups++;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE marker (id int primary key)');
      await client.end();
    };
    const key = `kit_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const [a, b] = await Promise.all([
      createTestDatabase({ name: 'kit a', setup, templateKey: key }),
      createTestDatabase({ name: 'kit b', setup, templateKey: key }),
    ]);
    try {
      expect(setups).toBe(1);
      expect(a.name).not.toBe(b.name);
      expect(a.name).toMatch(/^test_kit_a_[0-9a-f]{8}$/);
      await a.pool.query('INSERT INTO marker VALUES (1)');
      const inB = await b.pool.query('SELECT count(*)::int AS n FROM marker');
      expect(inB.rows[0]).toEqual({ n: 0 });
    } finally {
      await a.drop();
      await b.drop();
      await dropTestDatabase(`test_tpl_${key}`);
    }
    const admin = new pg.Client({
      connectionString: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await admin.connect();
    const left = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
      [a.name, b.name],
    ]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});

describe('test redis helper', () => {
  it('when a file writes keys, then they carry its prefix and cleanup removes only them', async () => {
    const mine = await createTestRedis('kit-redis');
    const other = await createTestRedis('kit-redis');
    await mine.redis.set('k', 'mine');
    await other.redis.set('k', 'other');
    expect(await mine.redis.get('k')).toBe('mine');
    const plain = new Redis(mine.url);
    expect(await plain.get(`${mine.prefix}k`)).toBe('mine');
    await mine.cleanup();
    expect(await plain.get(`${mine.prefix}k`)).toBeNull();
    expect(await plain.get(`${other.prefix}k`)).toBe('other');
    await other.cleanup();
    plain.disconnect();
  });
});

describe('test amqp helper', () => {
  it('when a file declares queues through name(), then cleanup deletes them', async () => {
    const broker = await createTestAmqp('kit-amqp');
    const queue = broker.name('jobs');
    expect(queue).toMatch(/^test\.kit-amqp\.[0-9a-f]{8}\.jobs$/);
    const connection = await amqp.connect(broker.url);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: false });
    await broker.cleanup();
    const check = await connection.createChannel();
    const gone = new Promise<number>((resolve) =>
      check.once('error', (e: { code: number }) => resolve(e.code)),
    );
    await check.checkQueue(queue).catch(() => undefined);
    expect(await gone).toBe(404);
    await connection.close().catch(() => undefined);
  });
});

describe('service probes', () => {
  it('when a service is down, then the message is one line naming it and how to start it', async () => {
    const result = await probeService('redis', 'redis://127.0.0.1:1', 500);
    expect(result.ok).toBe(false);
    const message = unreachableMessage(result);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\) — start it with: redis-server/,
    );
  });

  it('when the services are up, then every probe answers', async () => {
    const results = await Promise.all(
      (['postgres', 'redis', 'rabbitmq', 'mysql'] as const).map((s) => probeService(s)),
    );
    expect(results.map((r) => [r.service.name, r.ok])).toEqual([
      ['postgres', true],
      ['redis', true],
      ['rabbitmq', true],
      ['mysql', true],
    ]);
  });
});

describe('blackhole proxy', () => {
  it('when swallow() is called, then commands through the proxy get no answer while direct ones still do', async () => {
    const target = serviceUrl('redis');
    const proxy = await createBlackholeProxy(target, 6379);
    const viaProxy = new Redis(proxy.url, { commandTimeout: 300, maxRetriesPerRequest: 0 });
    viaProxy.on('error', () => undefined);
    const direct = new Redis(target, { maxRetriesPerRequest: 1 });
    try {
      expect(new URL(proxy.url).hostname).toBe('127.0.0.1');
      expect(await viaProxy.ping()).toBe('PONG');

      proxy.swallow();

      await expect(viaProxy.ping()).rejects.toThrow(/timed out/i);
      expect(await direct.ping()).toBe('PONG');
    } finally {
      viaProxy.disconnect();
      direct.disconnect();
      await proxy.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, isRedisUnavailable, redisUnavailable, serviceUrl, AppError } from '../src';
import { hostAndPort, requireServices, startTcpProxy, type TcpProxy } from '../src/testing';

let proxy: TcpProxy;
let redis: Redis;
const prefix = `test:kit-redis:${randomBytes(4).toString('hex')}:`;

beforeAll(async () => {
  await requireServices(['redis']);
  proxy = await startTcpProxy(hostAndPort(serviceUrl('redis'), 6379));
  redis = await connectRedis(proxy.proxiedUrl(serviceUrl('redis')), {
    keyPrefix: prefix,
    commandTimeoutMs: 300,
    connectTimeoutMs: 300,
  });
});
afterAll(async () => {
  await proxy.restore();
  await eventually(() => redis.del('k'));
  redis.disconnect();
  await proxy.close();
});

/** Retries `fn` until it resolves: the client reconnects on its own, with no restart. */
async function eventually<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (error: unknown) => error,
  );
}

describe('createRedis: every wait is bounded', () => {
  it('when Redis refuses connections, then commands fail at once as "unavailable", and work again after it returns', async () => {
    await redis.set('k', 'before');
    await proxy.cut();
    const error = await failure(redis.get('k'));
    expect(isRedisUnavailable(error)).toBe(true);
    // A second command while Redis is still gone is not queued either.
    expect(isRedisUnavailable(await failure(redis.get('k')))).toBe(true);
    await proxy.restore();
    expect(await eventually(() => redis.get('k'))).toBe('before');
  });

  it('when Redis is black-holed (accepts, answers nothing), then a command times out instead of hanging', async () => {
    await eventually(() => redis.set('k', 'still'));
    proxy.blackhole();
    const error = await failure(redis.get('k'));
    expect(isRedisUnavailable(error)).toBe(true);
    await proxy.restore();
    expect(await eventually(() => redis.get('k'))).toBe('still');
  });

  it('when a caller cannot do without Redis, then redisUnavailable() turns the outage into a 503 naming what is unavailable', async () => {
    await proxy.cut();
    const error = redisUnavailable(await failure(redis.get('k')), 'session');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 503,
      details: { session: ['is temporarily unavailable'] },
      headers: { 'Retry-After': '5' },
    });
    await proxy.restore();
    await eventually(() => redis.ping());
    // A reply error is a bug, not an outage: it passes through unchanged.
    const wrongType = await failure(redis.eval('return redis.error_reply("boom")', 0));
    expect(redisUnavailable(wrongType, 'session')).toBe(wrongType);
  });
});

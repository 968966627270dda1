export {
  createTestDatabase,
  dropTestDatabase,
  assertTestDatabaseName,
  databaseUrl,
  adminUrl,
  type TestDatabase,
  type TestDatabaseOptions,
} from './postgres';
export { createTestRedis, deleteByPrefix, type TestRedis } from './redis';
export { createTestAmqp, type TestAmqp } from './amqp';
export { describeWithMongo, mongoUrl } from './mongo';
export { requireServices } from './services';
export { createBlackholeProxy, type BlackholeProxy } from './proxy';
export { startTcpProxy, hostAndPort, type TcpProxy } from './tcp-proxy';
export { startProcess, type Child } from './process';
export { startTestTracing, metricValue, waitFor, type TestTracing } from './tracing';
export { awayFromWindowEdge } from './rate-limit';

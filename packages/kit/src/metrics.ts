import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlockList, isIPv4 } from 'node:net';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createEventMetrics, type EventMetrics } from './event-metrics';

export type { EventMetrics } from './event-metrics';

/** What `trackPool()` reads from a pg.Pool (structural, so kit needs no pg types here). */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** What `trackRedis()` reads from an ioredis client. */
export interface RedisStatusLike {
  readonly status: string;
}

export interface Metrics {
  /** The app's own registry: /metrics renders exactly this (no global state shared by tests). */
  readonly registry: Registry;
  /** cache_requests_total{cache,result}: result is `hit` or `miss`. */
  readonly cacheRequests: Counter<'cache' | 'result'>;
  /** rate_limit_rejections_total{limiter}: requests answered 429. */
  readonly rateLimitRejections: Counter<'limiter'>;
  readonly events: EventMetrics;
  /** Reports a pg pool as pg_pool_connections / pg_pool_idle_connections / pg_pool_waiting_requests. */
  trackPool(name: string, pool: PoolLike): void;
  /** Reports a Redis client as redis_connected{client} (1 when ready). */
  trackRedis(name: string, redis: RedisStatusLike): void;
  /** Wraps a cache so each get() counts as a hit (a value) or a miss (null). */
  countCache<C extends { get(key: string): Promise<string | null> }>(name: string, cache: C): C;
  /** A gauge read at scrape time, e.g. a queue's length: nothing to keep in sync. */
  gaugeFrom(name: string, help: string, read: () => number | Promise<number>): void;
  /** Express middleware recording RED metrics per route template (createHttpApp mounts it). */
  readonly httpMiddleware: RequestHandler;
}

export interface MetricsOptions {
  /** Added to every series as `service` (Prometheus adds `job` and `instance` itself). */
  service: string;
  /** Node's process metrics (CPU, memory, event-loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

interface RouteLike {
  path?: string | RegExp | (string | RegExp)[];
}
interface RouteState {
  route: RouteLike | undefined;
  matched: RouteLike | undefined;
  baseUrl: string;
}

/** The label of every request no route matched: one series, whatever the path was. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Seconds. Chosen around the latency SLO in deploy/prometheus/rules.yml (300 ms): a bucket
 * boundary at the objective lets Prometheus count "fast enough" requests exactly.
 */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status: count (rate, errors) and duration.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served right now.',
    registers: [registry],
  });

  const pools = new Map<string, PoolLike>();
  const poolGauge = (name: string, help: string, read: (pool: PoolLike) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        for (const [pool, client] of pools) this.set({ pool }, read(client));
      },
    });
  poolGauge(
    'pg_pool_connections',
    'Connections the pg pool holds (busy + idle).',
    (p) => p.totalCount,
  );
  poolGauge('pg_pool_idle_connections', 'Connections idle in the pg pool.', (p) => p.idleCount);
  poolGauge(
    'pg_pool_waiting_requests',
    'Queries waiting for a pool connection (above 0 for long: the pool is too small or the database too slow).',
    (p) => p.waitingCount,
  );

  const redisClients = new Map<string, RedisStatusLike>();
  new Gauge({
    name: 'redis_connected',
    help: 'Whether a Redis client is connected and ready (1) or not (0).',
    labelNames: ['client'] as const,
    registers: [registry],
    collect() {
      for (const [client, redis] of redisClients)
        this.set({ client }, redis.status === 'ready' ? 1 : 0);
    },
  });

  // The event pipeline's metrics: see event-metrics.ts.
  const events: EventMetrics = createEventMetrics(registry);

  // Why a hook on the request's prototype, not on each request: Express sets req.route when a
  // route matches, and at that moment req.baseUrl is the router's mount path; by the time the
  // response ends, an error may have carried the request out of that router and baseUrl is
  // reset. Capturing the template in a setter gives `/api/articles/:slug` for every slug — a
  // bounded label set. Defined once per prototype (Express's app.request), because
  // Object.defineProperty on each request turned every request object into a slow
  // dictionary-mode object: that alone cost more than the rest of the metrics.
  // Per-request route state lives in a WeakMap, not in properties added to req: the profile
  // priced each property added to a request object at ~2–3 µs, a WeakMap entry at far less.
  const states = new WeakMap<object, RouteState>();
  const hooked = new WeakSet<object>();
  const hookRoute = (proto: object) => {
    hooked.add(proto);
    Object.defineProperty(proto, 'route', {
      configurable: true,
      enumerable: true,
      get(this: object) {
        return states.get(this)?.route;
      },
      // The setter only remembers; the template string is built once, when the response ends.
      set(this: object & { baseUrl?: string }, value: RouteLike | undefined) {
        let state = states.get(this);
        if (!state) {
          state = { route: undefined, matched: undefined, baseUrl: '' };
          states.set(this, state);
        }
        state.route = value;
        if (value?.path !== undefined) {
          state.matched = value;
          state.baseUrl = this.baseUrl ?? '';
        }
      },
    });
  };
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    inFlight.inc();
    const proto = Object.getPrototypeOf(req) as object;
    if (!hooked.has(proto)) hookRoute(proto);
    const state: RouteState = { route: undefined, matched: undefined, baseUrl: '' };
    states.set(req, state);
    res.once('close', () => {
      inFlight.dec();
      // 499 (nginx's "client closed request"): the client left before the response ended.
      const status = res.writableFinished ? res.statusCode : 499;
      const matched = state.matched?.path;
      const route =
        matched !== undefined
          ? `${state.baseUrl}${Array.isArray(matched) ? matched.join('|') : String(matched)}`
          : ((res.locals.routeTemplate as string | undefined) ?? UNMATCHED_ROUTE);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ method: req.method, route, status_code: status }, seconds);
    });
    next();
  };

  const cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache look-ups by result (hit or miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });

  return {
    registry,
    httpMiddleware,
    events,
    cacheRequests,
    // Object.create keeps every other method of the cache (own or inherited) as it was.
    countCache: (name, cache) =>
      Object.assign(Object.create(cache) as typeof cache, {
        async get(key: string) {
          const value = await cache.get(key);
          cacheRequests.inc({ cache: name, result: value === null ? 'miss' : 'hit' });
          return value;
        },
      }),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429 by a rate limiter.',
      labelNames: ['limiter'] as const,
      registers: [registry],
    }),
    trackPool: (name, pool) => void pools.set(name, pool),
    trackRedis: (name, redis) => void redisClients.set(name, redis),
    gaugeFrom(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          this.set(await read());
        },
      });
    },
  };
}

/**
 * Names the route of requests a mounted middleware answers itself (no Express route matches
 * them, so they would count as `unmatched`): `app.use('/graphql', labelRoute('/graphql'), …)`.
 */
export function labelRoute(template: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.routeTemplate = template;
    next();
  };
}

/**
 * Who may read /metrics on the app port: METRICS_ALLOW, a comma-separated list of addresses
 * and CIDR ranges, `private` (loopback + RFC 1918 + IPv6 unique-local: where a Prometheus
 * inside the same network or cluster scrapes from) or `none`. Default `private`.
 */
export function metricsAllowList(spec = 'private'): BlockList {
  const list = new BlockList();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '' || item === 'none') continue;
    if (item === 'private') {
      for (const [net, prefix] of [
        ['127.0.0.0', 8],
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
      ] as const)
        list.addSubnet(net, prefix, 'ipv4');
      list.addAddress('::1', 'ipv6');
      list.addSubnet('fc00::', 7, 'ipv6');
      continue;
    }
    const [address = '', prefix] = item.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** `::ffff:10.0.0.5` (IPv4 on a dual-stack socket) is checked as `10.0.0.5`. */
function isAllowed(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return list.check(mapped, 'ipv4');
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

/**
 * GET /metrics in Prometheus's text format, for peers on the allow-list only. Why the socket's
 * address and not req.ip: req.ip can come from X-Forwarded-For, which any client can write.
 * And why refuse forwarded requests: behind a reverse proxy every request arrives from the
 * proxy's (private) address, so a public client would pass the address check.
 */
export function metricsHandler(metrics: Metrics, allow: BlockList): RequestHandler {
  return async (req, res, next) => {
    if (!isAllowed(allow, req.socket.remoteAddress) || req.headers['x-forwarded-for']) {
      next(); // falls through to the 404: a refused scraper learns nothing
      return;
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(await metrics.registry.metrics());
  };
}

/**
 * For a process with no HTTP app of its own (the outbox relay, a consumer): /metrics and
 * /healthz on their own port. Returns a close function for the shutdown closers.
 */
export async function startMetricsServer(options: {
  metrics: Metrics;
  port: number;
  host?: string;
}): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/healthz' ? '{"status":"ok"}' : '{}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import http from 'node:http';
import { Router } from 'express';
import pg from 'pg';
import request from 'supertest';
import { AppError } from '../src/errors';
import { createHttpApp, finishHttpApp } from '../src/http';
import { createMetrics, labelRoute, metricsAllowList, startMetricsServer } from '../src/metrics';
import { createTestDatabase, type TestDatabase } from '../src/testing';

/**
 * The samples of one metric in a /metrics body, each as `{label="value",…} number` with the
 * labels sorted (prom-client puts default labels first for some types, last for others).
 */
function samples(body: string, name: string): string[] {
  return body.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) return [];
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, key, value]) => `${key}="${value}"`)
      .sort();
    return [`{${labels.join(',')}} ${match[3]}`];
  });
}

function buildApp(options: { metricsAllow?: string } = {}) {
  const { app, metrics } = createHttpApp({ name: 'metrics-test', ...options });
  app.get('/api/articles/:slug', (req, res) => {
    res.json({ slug: req.params.slug });
  });
  const admin = Router();
  admin.get('/users/:id', () => {
    throw new AppError({ code: 'gone', status: 404, message: 'is gone', field: 'user' });
  });
  app.use('/api/admin', admin);
  app.use('/graphql', labelRoute('/graphql'), (_req, res) => {
    res.json({ data: null });
  });
  finishHttpApp(app);
  return { app, metrics };
}

describe('metrics', () => {
  it('when /api/articles/some-slug is served, then the series is labelled with the route template and the raw path appears nowhere', async () => {
    const { app } = buildApp();
    await request(app).get('/api/articles/some-slug').expect(200);
    await request(app).get('/api/articles/another-one').expect(200);
    const { text, headers } = await request(app).get('/metrics').expect(200);

    expect(headers['content-type']).toMatch(/^text\/plain/);
    expect(samples(text, 'http_request_duration_seconds_count')).toContain(
      '{method="GET",route="/api/articles/:slug",service="metrics-test",status_code="200"} 2',
    );
    expect(text).not.toContain('some-slug');
    expect(text).not.toContain('another-one');
  });

  it('when an error leaves a mounted router, then the label still carries the mount path and the status it got', async () => {
    const { app } = buildApp();
    await request(app).get('/api/admin/users/42').expect(404);
    const { text } = await request(app).get('/metrics').expect(200);
    expect(samples(text, 'http_request_duration_seconds_count')).toContain(
      '{method="GET",route="/api/admin/users/:id",service="metrics-test",status_code="404"} 1',
    );
    expect(text).not.toContain('/users/42');
  });

  it('when a mounted middleware answers (no Express route), then labelRoute names its series', async () => {
    const { app } = buildApp();
    await request(app).post('/graphql').send({ query: '{ a }' }).expect(200);
    await request(app).get('/graphql/anything/else').expect(200);
    const { text } = await request(app).get('/metrics').expect(200);
    const series = samples(text, 'http_request_duration_seconds_count');
    expect(series).toContain(
      '{method="POST",route="/graphql",service="metrics-test",status_code="200"} 1',
    );
    expect(series).toContain(
      '{method="GET",route="/graphql",service="metrics-test",status_code="200"} 1',
    );
  });

  it('when paths match no route, then they all collapse into one "unmatched" series', async () => {
    const { app } = buildApp();
    for (const path of ['/nope', '/wp-admin/setup.php', '/api/articles/x/y/z'])
      await request(app).get(path).expect(404);
    const { text } = await request(app).get('/metrics').expect(200);
    const unmatched = samples(text, 'http_request_duration_seconds_count').filter((line) =>
      line.includes('route="unmatched"'),
    );
    expect(unmatched).toEqual([
      '{method="GET",route="unmatched",service="metrics-test",status_code="404"} 3',
    ]);
    expect(text).not.toMatch(/wp-admin|x\/y\/z/);
  });

  it('when scraped, then default process metrics and every documented name and help text are there', async () => {
    const { app, metrics } = buildApp();
    metrics.events.published.inc({ event_type: 'ArticlePublished', outcome: 'confirmed' });
    await request(app).get('/api/articles/a').expect(200);
    const { text } = await request(app).get('/metrics').expect(200);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'http_request_duration_seconds',
      'http_requests_in_flight',
      'pg_pool_connections',
      'pg_pool_idle_connections',
      'pg_pool_waiting_requests',
      'redis_connected',
      'cache_requests_total',
      'rate_limit_rejections_total',
      'events_published_total',
      'events_consumed_total',
      'events_handler_duration_seconds',
      'events_consumer_lag_seconds',
      'events_dead_letter_queue_messages',
      'outbox_relay_batch_duration_seconds',
      'outbox_backlog_events',
      'outbox_oldest_event_age_seconds',
    ])
      expect(text).toContain(`# HELP ${name} `);
    expect(samples(text, 'events_published_total')).toEqual([
      '{event_type="ArticlePublished",outcome="confirmed",service="metrics-test"} 1',
    ]);
    // A histogram's buckets include the latency objective the alert rules count against.
    expect(text).toContain('le="0.3"');
  });

  it('when the scraper is not on the allow-list, or the request came through a proxy, then /metrics is a 404', async () => {
    const closed = buildApp({ metricsAllow: 'none' });
    const refused = await request(closed.app).get('/metrics').expect(404);
    expect(refused.body).toMatchObject({ errors: { route: ['no route for GET /metrics'] } });

    const open = buildApp();
    await request(open.app).get('/metrics').set('x-forwarded-for', '203.0.113.9').expect(404);
    await request(open.app).get('/metrics').expect(200);
  });

  it('when the allow-list names ranges, then addresses inside them pass and others do not', () => {
    const list = metricsAllowList('10.1.0.0/16, 192.0.2.7, fd00::/8');
    expect(list.check('10.1.200.3', 'ipv4')).toBe(true);
    expect(list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(list.check('192.0.2.7', 'ipv4')).toBe(true);
    expect(list.check('fd00::1', 'ipv6')).toBe(true);
    const privateOnly = metricsAllowList('private');
    expect(privateOnly.check('172.20.0.5', 'ipv4')).toBe(true);
    expect(privateOnly.check('8.8.8.8', 'ipv4')).toBe(false);
  });

  describe('with a real pg pool', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ name: 'kit_metrics' });
    });
    afterAll(async () => {
      await db.drop();
    });

    it('when queries wait for the only connection, then the pool gauges report total, idle and waiting', async () => {
      const metrics = createMetrics({ service: 'pool-test', defaultMetrics: false });
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      metrics.trackPool('main', pool);
      try {
        const holder = await pool.connect();
        const waiting = pool.query('SELECT 1');
        const busy = await metrics.registry.metrics();
        expect(samples(busy, 'pg_pool_connections')).toEqual([
          '{pool="main",service="pool-test"} 1',
        ]);
        expect(samples(busy, 'pg_pool_idle_connections')).toEqual([
          '{pool="main",service="pool-test"} 0',
        ]);
        expect(samples(busy, 'pg_pool_waiting_requests')).toEqual([
          '{pool="main",service="pool-test"} 1',
        ]);
        holder.release();
        await waiting;
        const idle = await metrics.registry.metrics();
        expect(samples(idle, 'pg_pool_idle_connections')).toEqual([
          '{pool="main",service="pool-test"} 1',
        ]);
        expect(samples(idle, 'pg_pool_waiting_requests')).toEqual([
          '{pool="main",service="pool-test"} 0',
        ]);
      } finally {
        await pool.end();
      }
    });
  });

  it('when a process without an HTTP app starts the metrics server, then its own port serves /metrics', async () => {
    const metrics = createMetrics({ service: 'relay-test', defaultMetrics: false });
    metrics.events.trackOutbox('conduit', () =>
      Promise.resolve({ unpublished: 7, oldestAgeMs: 2_500 }),
    );
    metrics.gaugeFrom('queue_depth_test', 'A gauge read at scrape time.', () => 3);
    const server = await startMetricsServer({ metrics, port: 0, host: '127.0.0.1' });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${server.port}/metrics`, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(samples(body, 'outbox_backlog_events')).toEqual([
        '{outbox="conduit",service="relay-test"} 7',
      ]);
      expect(samples(body, 'outbox_oldest_event_age_seconds')).toEqual([
        '{outbox="conduit",service="relay-test"} 2.5',
      ]);
      expect(samples(body, 'queue_depth_test')).toEqual(['{service="relay-test"} 3']);
    } finally {
      await server.close();
    }
  });
});

import { createArticle, registerUser, useApi } from './helpers';

// Rate limiting on for everyone (loopback too), 40 a window, so a 429 can be counted.
const t = useApi('metrics', {
  RATE_LIMIT_MAX: 40,
  RATE_LIMIT_WINDOW_SECONDS: 60,
  RATE_LIMIT_EXEMPT: [],
});

/** One sample's value, found by metric name and the labels it must carry. */
function value(body: string, name: string, labels: Record<string, string>): number | undefined {
  const line = body
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, v]) => l.includes(`${key}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const scrape = async () => (await t.http().get('/metrics').expect(200)).text;

describe('GET /metrics of the REST API', () => {
  it('when an article is read by its slug twice, then the route template is the label, the raw slug appears nowhere, and the cache counts a miss then a hit', async () => {
    const author = await registerUser(t, 'mauthor');
    const { slug } = await createArticle(t, author);
    await t.http().get(`/api/articles/${slug}`).expect(200);
    await t.http().get(`/api/articles/${slug}`).expect(200);

    const text = await scrape();
    expect(
      value(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/articles/:slug',
        status_code: '200',
        service: 'rest-api',
      }),
    ).toBe(2);
    expect(text).not.toContain(slug);
    expect(value(text, 'cache_requests_total', { cache: 'conduit', result: 'miss' })).toBe(1);
    expect(value(text, 'cache_requests_total', { cache: 'conduit', result: 'hit' })).toBe(1);
  });

  it('when scraped, then the pool, Redis and password-hash queue are reported', async () => {
    const text = await scrape();
    expect(value(text, 'pg_pool_connections', { pool: 'main' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'pg_pool_waiting_requests', { pool: 'main' })).toBe(0);
    expect(value(text, 'redis_connected', { client: 'main' })).toBe(1);
    expect(text).toMatch(/^password_hash_queue_depth\{service="rest-api"\} 0$/m);
  });

  it('when a client goes over its rate limit, then each 429 is counted', async () => {
    let refused = 0;
    for (let i = 0; i < 45 && refused < 2; i++) {
      const res = await t.http().get('/api/tags');
      if (res.status === 429) refused++;
    }
    expect(refused).toBe(2);
    // /metrics comes before the limiter, so a busy scraper is never refused.
    const text = await scrape();
    expect(value(text, 'rate_limit_rejections_total', { limiter: 'api' })).toBe(2);
  });
});

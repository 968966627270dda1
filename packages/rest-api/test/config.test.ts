import { loadRestApiConfig } from '../src/config';

describe('configuration', () => {
  it('when nothing is set, then every variable has its documented default', () => {
    const config = loadRestApiConfig({ NODE_ENV: 'test' });
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conduit',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JSON_BODY_LIMIT: '100kb',
      CORS_ORIGINS: ['*'],
      RATE_LIMIT_MAX: 600,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_EXEMPT: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
      CACHE_TTL_SECONDS: 300,
      TRUST_PROXY: false,
    });
  });

  it('when values are set, then lists are split and numbers parsed', () => {
    const config = loadRestApiConfig({
      NODE_ENV: 'test',
      PORT: '8081',
      CORS_ORIGINS: 'http://localhost:4200, https://conduit.example',
      RATE_LIMIT_EXEMPT: '',
      TRUST_PROXY: '1',
    });
    expect(
      loadRestApiConfig({ NODE_ENV: 'test', RATE_LIMIT_EXEMPT: 'none' }).RATE_LIMIT_EXEMPT,
    ).toEqual([]);
    expect(config).toMatchObject({
      PORT: 8081,
      CORS_ORIGINS: ['http://localhost:4200', 'https://conduit.example'],
      RATE_LIMIT_EXEMPT: ['127.0.0.1', '::1', '::ffff:127.0.0.1'], // "" means unset, as in .env files
      TRUST_PROXY: 1,
    });
  });

  it('when a value is wrong, then one error names every bad variable', () => {
    expect(() =>
      loadRestApiConfig({
        NODE_ENV: 'test',
        PORT: 'eighty',
        REDIS_URL: 'http://x',
        JSON_BODY_LIMIT: 'lots',
      }),
    ).toThrow(/PORT.*REDIS_URL.*JSON_BODY_LIMIT|PORT.*JSON_BODY_LIMIT.*REDIS_URL/);
  });

  it('when NODE_ENV is production without JWT keys and a session secret, then start-up is refused', () => {
    expect(() => loadRestApiConfig({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY/);
  });
});

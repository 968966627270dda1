import { ConfigError } from '@roadmap/kit';
import { DEFAULT_MONGO_URL, loadDataNosqlConfig, mongoLimits } from '../src/config';
import { DEFAULT_LIMITS } from '../src/mongo/connection';

describe('data-nosql configuration', () => {
  it('when nothing is set, then the defaults serve a newcomer and match the connection defaults', () => {
    const config = loadDataNosqlConfig({});
    expect(config).toMatchObject({
      MONGO_URL: DEFAULT_MONGO_URL,
      REDIS_URL: 'redis://127.0.0.1:6379',
      MONGO_SERVER_SELECTION_TIMEOUT_MS: 2_000,
      MONGO_SOCKET_TIMEOUT_MS: 10_000,
    });
    expect(mongoLimits(config)).toEqual(DEFAULT_LIMITS);
  });

  it('when limits are set, then they reach the document limits', () => {
    const config = loadDataNosqlConfig({
      ARTICLE_BODY_MAX_CHARS: '500',
      MAX_DOCUMENT_BYTES: '4096',
      UNVERIFIED_SIGNUP_TTL_SECONDS: '600',
    });
    expect(mongoLimits(config)).toEqual({
      articleBodyMaxChars: 500,
      maxDocumentBytes: 4096,
      unverifiedSignupTtlSeconds: 600,
    });
  });

  it('when a value is out of range or not a MongoDB URL, then start-up stops naming each variable', () => {
    expect(() =>
      loadDataNosqlConfig({ MAX_DOCUMENT_BYTES: String(17 * 1024 * 1024), MONGO_URL: 'http://x' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadDataNosqlConfig({ MAX_DOCUMENT_BYTES: String(17 * 1024 * 1024), MONGO_URL: 'http://x' }),
    ).toThrow(/MONGO_URL: must be a URL starting with mongodb:\/\/.*MAX_DOCUMENT_BYTES/);
  });
});

import { z } from 'zod';
import { ConfigError, loadConfig, port, url } from '../src';

describe('loadConfig', () => {
  it('when the environment is valid, then values are typed and defaults applied', () => {
    const config = loadConfig(
      { PORT: port(3000), REDIS_URL: url(['redis:'], 'redis://127.0.0.1:6379') },
      { PORT: '8080' },
    );
    expect(config).toMatchObject({
      PORT: 8080,
      REDIS_URL: 'redis://127.0.0.1:6379',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when a variable is empty, then it counts as unset and the default applies', () => {
    expect(loadConfig({ PORT: port(3000) }, { PORT: '' }).PORT).toBe(3000);
  });

  it('when several variables are wrong, then one ConfigError names all of them', () => {
    const load = () =>
      loadConfig(
        { PORT: port(3000), SECRET: z.string().min(32) },
        { PORT: '-1', LOG_LEVEL: 'loud' },
      );
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /LOG_LEVEL: .*\(got "loud"\); PORT: .*\(got "-1"\); SECRET: .*\(not set\)/,
    );
  });
});

import { z } from 'zod';
import { ConfigError, loadConfig, port, trustProxy, url } from '../src';

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

  it('when a secret or a URL with a password is rejected, then the error never shows its value', () => {
    const secret = 'short-but-very-private';
    const load = () =>
      loadConfig(
        {
          SESSION_SECRET: z.string().min(32),
          DATABASE_URL: url(['postgres:']),
        },
        { SESSION_SECRET: secret, DATABASE_URL: 'mysql://app:hunter2@db.example:3306/conduit' },
      );
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('SESSION_SECRET: ');
    expect(message).toContain(`(got ${secret.length} characters, value hidden)`);
    expect(message).toContain('(got "mysql://***@db.example:3306/conduit")');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });
});

describe('trustProxy', () => {
  it('when TRUST_PROXY is unset, false, true, a hop count or a name, then it becomes what Express expects', () => {
    const read = (value?: string) =>
      loadConfig({ TRUST_PROXY: trustProxy() }, value === undefined ? {} : { TRUST_PROXY: value })
        .TRUST_PROXY;
    expect(read()).toBe(false);
    expect(read('false')).toBe(false);
    expect(read('true')).toBe(true);
    expect(read('2')).toBe(2);
    expect(read('loopback')).toBe('loopback');
  });
});

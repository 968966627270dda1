import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '@roadmap/kit';
import { authConfigShape, loadAuthConfig } from '../src';
import { loadSessionSecret, loadSigningKeys, secretsDir } from '../src/keys';
import { pemKeyPair } from './support/jwt-forge';

/** Key material at start-up: PEM from the environment, generated once in development, never in production. */
const configOf = (env: Record<string, string>) =>
  loadConfig(authConfigShape, { LOG_LEVEL: 'silent', ...env });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-keys-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('when development starts without JWT keys, then a P-256 pair is written once (private key 0600) and reused on the next start', () => {
  const config = configOf({ NODE_ENV: 'development', AUTH_SECRETS_DIR: dir });
  const first = loadSigningKeys(config);
  const privatePath = path.join(dir, 'jwt-es256-private.pem');
  expect(fs.statSync(privatePath).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(privatePath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  const second = loadSigningKeys(config);
  expect(second.kid).toBe(first.kid);
  const secret = loadSessionSecret(config);
  expect(secret.length).toBeGreaterThanOrEqual(32);
  expect(loadSessionSecret(config)).toBe(secret);
});

test('when no AUTH_SECRETS_DIR is set, then development keys go to <repo>/.secrets, which git ignores', () => {
  const target = secretsDir(configOf({ NODE_ENV: 'development' }));
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  expect(target).toBe(path.join(root, '.secrets'));
  // `git check-ignore` exits 0 (and prints the path) only for an ignored path.
  const ignored = execFileSync(
    'git',
    ['check-ignore', path.join(target, 'jwt-es256-private.pem')],
    { cwd: root, encoding: 'utf8' },
  );
  expect(ignored.trim()).toBe(path.join(target, 'jwt-es256-private.pem'));
});

test('when JWT_PRIVATE_KEY / JWT_PUBLIC_KEY are set, then they are used; a public key of another pair is refused', () => {
  const pair = pemKeyPair();
  const keys = loadSigningKeys(
    configOf({
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: pair.privatePem,
      JWT_PUBLIC_KEY: pair.publicPem,
    }),
  );
  expect(keys.publicKey.export({ format: 'pem', type: 'spki' })).toBe(pair.publicPem);
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(() =>
    loadSigningKeys(
      configOf({
        NODE_ENV: 'production',
        JWT_PRIVATE_KEY: pair.privatePem,
        JWT_PUBLIC_KEY: pemKeyPair().publicPem,
      }),
    ),
  ).toThrow(/JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY/);
});

test('when production starts without keys or a session secret, then start-up is refused and nothing is generated', () => {
  expect(() => loadAuthConfig({ NODE_ENV: 'production', AUTH_SECRETS_DIR: dir })).toThrow(
    /JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, SESSION_SECRET must be set in production/,
  );
  expect(() =>
    loadSigningKeys(configOf({ NODE_ENV: 'production', AUTH_SECRETS_DIR: dir })),
  ).toThrow(/must be set in production/);
  // A ConfigError: runMain prints its one line, no stack trace.
  expect(() => loadAuthConfig({ NODE_ENV: 'production', AUTH_SECRETS_DIR: dir })).toThrow(
    ConfigError,
  );
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('when a key variable holds something that is not a PEM key, then a ConfigError names the variable and not its value', () => {
  const junk = 'not-a-key-but-maybe-a-secret';
  const load = () =>
    loadSigningKeys(
      configOf({ NODE_ENV: 'production', JWT_PRIVATE_KEY: junk, JWT_PUBLIC_KEY: junk }),
    );
  expect(load).toThrow(ConfigError);
  expect(load).toThrow('Invalid configuration — JWT_PRIVATE_KEY is not a readable PEM key.');
});

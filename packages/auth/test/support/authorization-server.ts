import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface AuthorizationServer {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  stop(): Promise<void>;
}

/** Starts test/oauth/authorization-server.mjs (oidc-provider) in a child process on a random port. */
export async function startAuthorizationServer(env: {
  REDIRECT_URI: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
}): Promise<AuthorizationServer> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'oauth', 'authorization-server.mjs')],
    {
      env: { ...process.env, ...env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`authorization server did not start in 15 s: ${stderr}`)),
      15_000,
    );
    child.once('exit', (code) =>
      reject(new Error(`authorization server exited with ${code}: ${stderr}`)),
    );
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
  });
  const discovery = (await (
    await fetch(`${issuer}/.well-known/openid-configuration`)
  ).json()) as Record<string, string>;
  return {
    issuer,
    authorizationEndpoint: discovery.authorization_endpoint!,
    tokenEndpoint: discovery.token_endpoint!,
    userinfoEndpoint: discovery.userinfo_endpoint!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Just enough of a browser's cookie jar for two hosts that never share a name. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

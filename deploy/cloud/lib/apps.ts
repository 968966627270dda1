import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One app of deploy/apps.tsv, as the cloud deploys it. */
export interface CloudApp {
  name: string;
  port: number;
  /** The load balancer's path prefix; undefined for a worker nobody calls (the relay). */
  route?: string;
}

/**
 * Which apps run in the cloud, and on which public path. Apps missing here (basics, auth) are
 * lessons, not part of the product. The route table matches the compose gateway and the
 * Kubernetes Ingresses.
 */
export const CLOUD_ROUTES: Record<string, string | null> = {
  'rest-api': '/api',
  'graphql-api': '/graphql',
  notifications: '/api/notifications',
  relay: null,
};

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The cloud apps of deploy/apps.tsv whose package exists in this checkout. */
export function cloudApps(root = repoRoot): CloudApp[] {
  const lines = readFileSync(path.join(root, 'deploy', 'apps.tsv'), 'utf8').split('\n');
  const apps: CloudApp[] = [];
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name = '', pkg = '', entry = '', port = '-'] = line.trim().split(/\s+/);
    const route = CLOUD_ROUTES[name];
    if (route === undefined) continue;
    const source = path.join(root, 'packages', pkg, 'src', entry.replace(/^dist\//, ''));
    if (!existsSync(source.replace(/\.js$/, '.ts'))) continue;
    // Every cloud app serves /healthz on its port: the target group and ECS check it there.
    if (!/^\d+$/.test(port)) throw new Error(`deploy/apps.tsv: ${name} needs an HTTP port`);
    apps.push({
      name,
      port: Number(port),
      ...(route ? { route } : {}),
    });
  }
  return apps;
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../src/metrics';

// The Grafana dashboards query metrics by name; a renamed metric would leave a panel silently
// empty. So every name a panel asks for must be one kit registers (or a recording rule of
// deploy/prometheus/rules.yml, or RabbitMQ's own exporter, or Prometheus's `up`).
const deploy = path.resolve(__dirname, '../../../deploy');
const dashboardsDir = path.join(deploy, 'grafana/dashboards');

interface Dashboard {
  uid: string;
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
}

async function knownNames(): Promise<Set<string>> {
  const metrics = createMetrics({ service: 'assets' });
  metrics.gaugeFrom('password_hash_queue_depth', 'rest-api registers it', () => 0);
  const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
  const rules = readFileSync(path.join(deploy, 'prometheus/rules.yml'), 'utf8');
  const recorded = [...rules.matchAll(/record: (\S+)/g)].map((m) => m[1] ?? '');
  return new Set([...names, ...recorded, 'up']);
}

/** Metric names in a PromQL expression: identifiers outside `{…}` and `by (…)`, minus functions. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b\d+(\.\d+)?(e\d+)?\b/g, '');
  const functions = new Set(['sum', 'max', 'rate', 'increase', 'histogram_quantile', 'and']);
  return [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .map((m) => m[0])
    .filter((word) => !functions.has(word));
}

describe('deploy/grafana dashboards', () => {
  const files = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'));

  it('when the dashboards folder is read, then the three dashboards are there with unique uids', () => {
    const dashboards = files.map(
      (f) => JSON.parse(readFileSync(path.join(dashboardsDir, f), 'utf8')) as Dashboard,
    );
    expect(dashboards.map((d) => d.title).sort()).toEqual([
      'Broker and events',
      'Database and cache',
      'RED per app',
    ]);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
  });

  it('when a panel queries a metric, then that metric exists under that name', async () => {
    const known = await knownNames();
    const unknown: string[] = [];
    for (const file of files) {
      const dashboard = JSON.parse(
        readFileSync(path.join(dashboardsDir, file), 'utf8'),
      ) as Dashboard;
      for (const panel of dashboard.panels)
        for (const { expr } of panel.targets)
          for (const name of metricNames(expr)) {
            const base = name.replace(/_(bucket|count|sum)$/, '');
            if (!known.has(name) && !known.has(base) && !name.startsWith('rabbitmq_'))
              unknown.push(`${file} "${panel.title}": ${name}`);
          }
    }
    expect(unknown).toEqual([]);
  });
});

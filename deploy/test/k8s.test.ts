import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkPolicies, isPinned, type Resource } from '../k8s/policy';

const k8s = path.join(__dirname, '..', 'k8s');
const OVERLAYS = ['dev', 'prod'] as const;
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) {
  console.warn('SKIPPED rendering the overlays: no kubectl on PATH (base files are still checked)');
}
const withKubectl = hasKubectl ? describe : describe.skip;

function parse(text: string): Resource[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Resource | null)
    .filter((r): r is Resource => r !== null);
}

function render(overlay: string): Resource[] {
  return parse(
    execFileSync('kubectl', ['kustomize', path.join(k8s, 'overlays', overlay)], {
      encoding: 'utf8',
    }),
  );
}

/** Every file of the base, listed in its kustomization or still waiting for its package. */
function baseFiles(): Resource[] {
  return readdirSync(path.join(k8s, 'base'))
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parse(readFileSync(path.join(k8s, 'base', f), 'utf8')));
}

function validateSchemas(resources: Resource[]): { errors: string[]; unchecked: string[] } {
  const out = execFileSync(process.execPath, [path.join(k8s, 'validate-schemas.mjs')], {
    input: JSON.stringify(resources),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { errors: string[]; unchecked: string[] };
}

const clone = <T>(value: T): T => structuredClone(value);
const named = (resources: Resource[], kind: string, name: string) => {
  const found = resources.find((r) => r.kind === kind && r.metadata?.name === name);
  if (!found) throw new Error(`${kind}/${name} is not in the render`);
  return found;
};

describe('deploy/k8s base files (every app, listed or not yet)', () => {
  const resources = baseFiles();

  test('when every base file is validated against the Kubernetes schemas, then none has an error', () => {
    const { errors, unchecked } = validateSchemas(resources);
    expect(errors).toEqual([]);
    expect(unchecked).toEqual([]);
  });

  test('when the house policies run on the base files, then there is no violation', () => {
    expect(checkPolicies(resources)).toEqual([]);
  });

  test('when the relay is read, then it runs two replicas with a disruption budget', () => {
    const relay = named(resources, 'Deployment', 'relay');
    expect(relay.spec?.replicas).toBe(2);
    expect(named(resources, 'PodDisruptionBudget', 'relay')).toBeDefined();
  });

  test('when the app policies are read, then each app may reach exactly the ports it needs', () => {
    const egress = (app: string) =>
      resources
        .filter(
          (r) =>
            r.kind === 'NetworkPolicy' &&
            (r.spec as { podSelector: { matchLabels?: Record<string, string> } }).podSelector
              .matchLabels?.['app.kubernetes.io/name'] === app,
        )
        .flatMap(
          (r) => (r.spec as { egress?: Array<{ ports: Array<{ port: number }> }> }).egress ?? [],
        )
        .flatMap((rule) => rule.ports.map((p) => p.port))
        .sort((a, b) => a - b);
    expect(egress('rest-api')).toEqual([5432, 6379]);
    expect(egress('graphql-api')).toEqual([5432, 6379]);
    expect(egress('notifications')).toEqual([3000, 5432, 5672, 6379]);
    expect(egress('relay')).toEqual([5432, 5672]);
    expect(egress('conduit-migrate')).toEqual([5432]);
  });

  test('when notifications and the relay are read, then tokens are checked against rest-api and the relay is probed on 3110', () => {
    const env = (name: string) =>
      (
        named(resources, 'Deployment', name).spec as {
          template: {
            spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> };
          };
        }
      ).template.spec.containers[0]!.env;
    expect(env('notifications')).toEqual(
      expect.arrayContaining([
        { name: 'JWKS_URL', value: 'http://rest-api/.well-known/jwks.json' },
        { name: 'NOTIFICATIONS_STORE', value: 'postgres' },
      ]),
    );
    expect(env('relay')).toEqual([{ name: 'PORT', value: '3110' }]);
    expect(JSON.stringify(named(resources, 'Deployment', 'relay'))).toContain('"path":"/readyz"');
  });

  test('when the Ingresses are read, then /api, /docs, /graphql and /api/notifications each reach their app', () => {
    const routes = resources
      .filter((r) => r.kind === 'Ingress')
      .flatMap(
        (r) =>
          (
            r.spec as {
              rules: Array<{
                http: { paths: Array<{ path: string; backend: { service: { name: string } } }> };
              }>;
            }
          ).rules[0]!.http.paths,
      )
      .map((p) => `${p.path} -> ${p.backend.service.name}`)
      .sort();
    expect(routes).toEqual([
      '/api -> rest-api',
      '/api/notifications -> notifications',
      '/docs -> rest-api',
      '/graphql -> graphql-api',
    ]);
  });
});

withKubectl.each(OVERLAYS)('deploy/k8s overlay %s, rendered by kubectl kustomize', (overlay) => {
  let resources: Resource[];
  beforeAll(() => {
    resources = render(overlay);
  });

  test('when rendered, then every built-in resource is valid against the Kubernetes schemas', () => {
    const { errors, unchecked } = validateSchemas(resources);
    expect(errors).toEqual([]);
    // Only custom resources (External Secrets) lack a bundled schema.
    expect(unchecked.every((u) => u.startsWith('ExternalSecret/'))).toBe(true);
  });

  test('when rendered, then the house policies hold for every resource', () => {
    expect(checkPolicies(resources)).toEqual([]);
  });

  test('when rendered, then a default-deny NetworkPolicy covers the namespace', () => {
    const deny = named(resources, 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('when rendered, then the migration Job runs the rest-api image', () => {
    const job = named(resources, 'Job', 'conduit-migrate');
    const api = named(resources, 'Deployment', 'rest-api');
    const image = (r: Resource) =>
      (r.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
        .containers[0]!.image;
    expect(image(job)).toBe(image(api));
  });
});

withKubectl('deploy/k8s overlay differences', () => {
  test('when dev is rendered, then the data services run in the cluster and secrets are generated', () => {
    const dev = render('dev');
    const statefulSets = dev.filter((r) => r.kind === 'StatefulSet').map((r) => r.metadata?.name);
    expect(statefulSets.sort()).toEqual(['postgres', 'rabbitmq', 'redis']);
    expect(dev.some((r) => r.kind === 'Secret')).toBe(true);
  });

  test('when prod is rendered, then no Secret is literal, images come from a registry and rest-api scales on a custom metric', () => {
    const prod = render('prod');
    expect(prod.filter((r) => r.kind === 'Secret')).toEqual([]);
    expect(prod.filter((r) => r.kind === 'ExternalSecret').map((r) => r.metadata?.name)).toEqual([
      'conduit-jwt',
      'conduit-secrets',
    ]);
    expect(prod.some((r) => r.kind === 'StatefulSet')).toBe(false);
    // The TLS patch adds its annotation next to the base's, and drops none of them.
    for (const ingress of prod.filter((r) => r.kind === 'Ingress')) {
      const annotations = (ingress.metadata as { annotations?: Record<string, string> })
        .annotations;
      expect(annotations).toMatchObject({
        'cert-manager.io/cluster-issuer': 'letsencrypt',
        'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      });
    }
    expect(
      (named(prod, 'Ingress', 'graphql-api').metadata as { annotations: Record<string, string> })
        .annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'],
    ).toBe('3600');
    const api = named(prod, 'Deployment', 'rest-api');
    expect(JSON.stringify(api)).toContain('ghcr.io/your-org/roadmap-rest-api:0.1.0');
    const hpa = named(prod, 'HorizontalPodAutoscaler', 'rest-api');
    const metrics = (hpa.spec as { metrics: Array<{ type: string }> }).metrics.map((m) => m.type);
    expect(metrics).toEqual(['Resource', 'Pods']);
  });
});

describe('the policy checker fails on broken manifests', () => {
  const base = baseFiles();
  const deployment = named(base, 'Deployment', 'rest-api');
  type Spec = {
    template: {
      spec: {
        securityContext: Record<string, unknown>;
        containers: Array<Record<string, unknown> & { securityContext: Record<string, unknown> }>;
      };
    };
  };
  const container = (r: Resource) => (r.spec as Spec).template.spec.containers[0]!;
  const without = (name: string) => base.filter((r) => r !== named(base, 'Deployment', name));

  test.each([
    [
      'the liveness probe is removed',
      (d: Resource) => delete container(d).livenessProbe,
      'no livenessProbe',
    ],
    [
      'the memory limit is removed',
      (d: Resource) =>
        delete (container(d).resources as { limits: { memory?: string } }).limits.memory,
      'no memory limit',
    ],
    [
      'the image is :latest',
      (d: Resource) => (container(d).image = 'roadmap/rest-api:latest'),
      'is not pinned',
    ],
    [
      'the pod may run as root',
      (d: Resource) => ((d.spec as Spec).template.spec.securityContext.runAsNonRoot = false),
      'may run as root',
    ],
    [
      'the root filesystem is writable',
      (d: Resource) => (container(d).securityContext.readOnlyRootFilesystem = false),
      'root filesystem is writable',
    ],
  ])('when %s, then the checker names the violation', (_what, breakIt, message) => {
    const broken = clone(deployment);
    breakIt(broken);
    const problems = checkPolicies([...without('rest-api'), broken]);
    expect(problems).toEqual([expect.stringContaining(message)]);
    expect(problems[0]).toContain('Deployment/rest-api container rest-api');
  });

  test('when a Deployment has no PodDisruptionBudget, then the checker names it', () => {
    const noBudget = base.filter(
      (r) => !(r.kind === 'PodDisruptionBudget' && r.metadata?.name === 'rest-api'),
    );
    expect(checkPolicies(noBudget)).toEqual([
      'Deployment/rest-api: no PodDisruptionBudget selects its pods',
    ]);
  });

  test('when an Ingress routes to a Service that does not exist, then the checker names it', () => {
    const noService = base.filter(
      (r) => !(r.kind === 'Service' && r.metadata?.name === 'graphql-api'),
    );
    expect(checkPolicies(noService)).toEqual([
      'Ingress/graphql-api: /graphql routes to a missing Service graphql-api',
    ]);
  });

  const policy = (name: string) => named(base, 'NetworkPolicy', name);
  type Rules = {
    ingress?: Array<{ from?: unknown[]; ports?: unknown[] }>;
    egress?: Array<{ to?: unknown[]; ports?: unknown[] }>;
  };
  test.each([
    [
      'the relay loses its own NetworkPolicy',
      () => base.filter((r) => r !== policy('relay')),
      ['Deployment/relay: no NetworkPolicy of its own allows its egress'],
    ],
    [
      'the default-deny policy is removed',
      () => base.filter((r) => r !== policy('default-deny')),
      ['NetworkPolicy: no default-deny policy (empty podSelector, no rules)'],
    ],
    [
      "an egress rule of graphql-api's policy names no ports",
      () => {
        const broken = clone(policy('graphql-api'));
        delete (broken.spec as Rules).egress![0]!.ports;
        return [...base.filter((r) => r !== policy('graphql-api')), broken];
      },
      ['NetworkPolicy/graphql-api: egress rule 0 allows any port'],
    ],
    [
      "notifications' policy no longer admits the ingress controller",
      () => {
        const broken = clone(policy('notifications'));
        (broken.spec as Rules).ingress![0]!.from = [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ];
        return [...base.filter((r) => r !== policy('notifications')), broken];
      },
      [
        'Ingress/notifications: /api/notifications reaches notifications, whose NetworkPolicy does not admit the ingress controller',
      ],
    ],
    [
      "the relay Service's selector has a typo",
      () => {
        const service = named(base, 'Service', 'relay');
        const broken = clone(service);
        (broken.spec as { selector: Record<string, string> }).selector = {
          'app.kubernetes.io/name': 'realy',
        };
        return [...base.filter((r) => r !== service), broken];
      },
      ["Service/relay: its selector matches no workload's pods"],
    ],
    [
      "graphql-api's Service targets a port its container does not name",
      () => {
        const service = named(base, 'Service', 'graphql-api');
        const broken = clone(service);
        (broken.spec as { ports: Array<{ targetPort: string }> }).ports[0]!.targetPort = 'htp';
        return [...base.filter((r) => r !== service), broken];
      },
      ['Service/graphql-api: targetPort htp is no container port of its pods'],
    ],
  ])('when %s, then the checker names it', (_what, breakIt, expected) => {
    expect(checkPolicies(breakIt())).toEqual(expected);
  });

  test('when a field has the wrong type, then the schema validation names it', () => {
    const broken = clone(deployment);
    (container(broken).ports as Array<{ containerPort: unknown }>)[0]!.containerPort = 'http';
    const { errors } = validateSchemas([broken]);
    expect(errors).toEqual([expect.stringContaining('containerPort must be integer')]);
  });

  test.each([
    ['roadmap/rest-api', false],
    ['roadmap/rest-api:latest', false],
    ['localhost:5000/rest-api', false],
    ['localhost:5000/rest-api:1.2.3', true],
    [`ghcr.io/o/rest-api@sha256:${'a'.repeat(64)}`, true],
  ])('when the image is %s, then pinned is %s', (image, pinned) => {
    expect(isPinned(image)).toBe(pinned);
  });
});

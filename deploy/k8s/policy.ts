/**
 * The house rules for our Kubernetes manifests, as code: what a reviewer would otherwise have
 * to remember. `checkPolicies` takes the resources of one rendered overlay and returns every
 * violation as a sentence naming the resource and the container ([] = compliant).
 *
 *  - every container: CPU and memory requests and limits; an image pinned to a tag or digest
 *    (never `latest` or no tag); runs as non-root; no privilege escalation; all capabilities
 *    dropped;
 *  - long-running containers (Deployments, StatefulSets): startup, readiness and liveness probes;
 *  - our own containers (component api, worker, migration): a read-only root filesystem;
 *  - every Deployment is covered by a PodDisruptionBudget;
 *  - every Ingress backend is a Service of the same render, on a port that Service has;
 *  - every Service selects the pods of a workload, on a port their containers name;
 *  - network: a default-deny NetworkPolicy wherever our own pods run; each of our workloads has
 *    a NetworkPolicy of its own (selected by its app name) with egress rules; every rule names
 *    both its peers and its ports (no allow-all); the pods behind an Ingress accept the ingress
 *    controller's namespace.
 */

export interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
}

interface Container {
  name: string;
  image?: string;
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  securityContext?: SecurityContext;
  startupProbe?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  ports?: Port[];
}

interface Port {
  name?: string;
  port?: number | string;
  containerPort?: number;
  targetPort?: number | string;
}

interface PolicyRule {
  from?: unknown[];
  to?: unknown[];
  ports?: unknown[];
}

interface NetworkPolicySpec {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    securityContext?: SecurityContext;
    containers?: Container[];
    initContainers?: Container[];
  };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const OWN_COMPONENTS = new Set(['api', 'worker', 'migration']);

const id = (r: Resource) => `${r.kind ?? '?'}/${r.metadata?.name ?? '?'}`;

/** `repo/name:tag`, `repo/name@sha256:…`; a port in the registry host is not a tag. */
export function isPinned(image: string | undefined): boolean {
  if (!image) return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag !== '' && tag !== 'latest';
}

function podTemplate(resource: Resource): PodTemplate | undefined {
  return (resource.spec as { template?: PodTemplate } | undefined)?.template;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function checkContainer(
  resource: Resource,
  pod: PodTemplate,
  container: Container,
  probesRequired: boolean,
): string[] {
  const where = `${id(resource)} container ${container.name}`;
  const problems: string[] = [];
  const { requests, limits } = container.resources ?? {};
  for (const [what, value] of [
    ['CPU request', requests?.cpu],
    ['memory request', requests?.memory],
    ['CPU limit', limits?.cpu],
    ['memory limit', limits?.memory],
  ] as const) {
    if (!value) problems.push(`${where}: no ${what}`);
  }
  if (!isPinned(container.image)) {
    problems.push(`${where}: image "${container.image ?? ''}" is not pinned to a tag or digest`);
  }
  const podSecurity = pod.spec?.securityContext ?? {};
  const security = container.securityContext ?? {};
  const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
  const user = security.runAsUser ?? podSecurity.runAsUser;
  if (nonRoot !== true || user === 0) problems.push(`${where}: may run as root`);
  if (security.allowPrivilegeEscalation !== false) {
    problems.push(`${where}: allowPrivilegeEscalation is not false`);
  }
  if (!security.capabilities?.drop?.includes('ALL')) {
    problems.push(`${where}: capabilities are not all dropped`);
  }
  const component = pod.metadata?.labels?.['app.kubernetes.io/component'] ?? '';
  if (OWN_COMPONENTS.has(component) && security.readOnlyRootFilesystem !== true) {
    problems.push(`${where}: root filesystem is writable`);
  }
  if (probesRequired) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      if (!container[probe]) problems.push(`${where}: no ${probe}`);
    }
  }
  return problems;
}

export function checkPolicies(resources: Resource[]): string[] {
  const problems: string[] = [];
  const budgets = resources
    .filter((r) => r.kind === 'PodDisruptionBudget')
    .map(
      (r) =>
        (r.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ??
        {},
    );
  const services = new Set(
    resources.filter((r) => r.kind === 'Service').map((r) => r.metadata?.name),
  );

  for (const resource of resources) {
    if (resource.kind && WORKLOADS.has(resource.kind)) {
      const pod = podTemplate(resource);
      const containers = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
      if (!pod || containers.length === 0) {
        problems.push(`${id(resource)}: no containers`);
        continue;
      }
      for (const container of pod.spec?.containers ?? []) {
        problems.push(...checkContainer(resource, pod, container, LONG_RUNNING.has(resource.kind)));
      }
      for (const container of pod.spec?.initContainers ?? []) {
        problems.push(...checkContainer(resource, pod, container, false));
      }
      if (resource.kind === 'Deployment') {
        const labels = pod.metadata?.labels ?? {};
        if (!budgets.some((selector) => matches(selector, labels))) {
          problems.push(`${id(resource)}: no PodDisruptionBudget selects its pods`);
        }
      }
    }
    if (resource.kind === 'Ingress') {
      const rules =
        (
          resource.spec as {
            rules?: Array<{
              http?: {
                paths?: Array<{ path?: string; backend?: { service?: { name?: string } } }>;
              };
            }>;
          }
        ).rules ?? [];
      for (const path of rules.flatMap((rule) => rule.http?.paths ?? [])) {
        const name = path.backend?.service?.name;
        if (!name || !services.has(name)) {
          problems.push(`${id(resource)}: ${path.path ?? '?'} routes to a missing Service ${name}`);
        }
      }
    }
  }
  problems.push(...checkServices(resources), ...checkNetwork(resources));
  return problems;
}

const podsOf = (resources: Resource[]) =>
  resources
    .filter((r) => r.kind && WORKLOADS.has(r.kind))
    .map((r) => ({ resource: r, pod: podTemplate(r) ?? {} }));

/** Services select real pods on ports those pods name; Ingresses use ports Services have. */
function checkServices(resources: Resource[]): string[] {
  const problems: string[] = [];
  const pods = podsOf(resources);
  const servicePorts = new Map<string, Port[]>();
  for (const service of resources.filter((r) => r.kind === 'Service')) {
    const spec = service.spec as { selector?: Record<string, string>; ports?: Port[] };
    servicePorts.set(service.metadata?.name ?? '', spec.ports ?? []);
    const selected = pods.filter(({ pod }) =>
      matches(spec.selector ?? {}, pod.metadata?.labels ?? {}),
    );
    if (selected.length === 0) {
      problems.push(`${id(service)}: its selector matches no workload's pods`);
      continue;
    }
    const named = new Set(
      selected.flatMap(({ pod }) =>
        (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name)),
      ),
    );
    for (const port of spec.ports ?? []) {
      if (typeof port.targetPort === 'string' && !named.has(port.targetPort)) {
        problems.push(
          `${id(service)}: targetPort ${port.targetPort} is no container port of its pods`,
        );
      }
    }
  }
  for (const ingress of resources.filter((r) => r.kind === 'Ingress')) {
    for (const path of ingressPaths(ingress)) {
      const backend = path.backend?.service;
      const ports = servicePorts.get(backend?.name ?? '');
      const wanted = backend?.port?.name ?? backend?.port?.number;
      if (ports && !ports.some((p) => p.name === wanted || p.port === wanted)) {
        problems.push(
          `${id(ingress)}: ${path.path ?? '?'} uses port ${String(wanted)}, which Service ${backend?.name} lacks`,
        );
      }
    }
  }
  return problems;
}

interface IngressPath {
  path?: string;
  backend?: { service?: { name?: string; port?: { name?: string; number?: number } } };
}

function ingressPaths(ingress: Resource): IngressPath[] {
  const rules = (ingress.spec as { rules?: Array<{ http?: { paths?: IngressPath[] } }> }).rules;
  return (rules ?? []).flatMap((rule) => rule.http?.paths ?? []);
}

const policySpec = (r: Resource) => (r.spec ?? {}) as NetworkPolicySpec;

/** Default deny, one policy per app, no allow-all rule, and Ingress routes that are allowed in. */
function checkNetwork(resources: Resource[]): string[] {
  const problems: string[] = [];
  const policies = resources.filter((r) => r.kind === 'NetworkPolicy');
  const own = podsOf(resources).filter(({ pod }) =>
    OWN_COMPONENTS.has(pod.metadata?.labels?.['app.kubernetes.io/component'] ?? ''),
  );
  if (own.length === 0) return problems;

  const denyAll = policies.some((p) => {
    const spec = policySpec(p);
    return (
      Object.keys(spec.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => spec.policyTypes?.includes(t)) &&
      !spec.ingress?.length &&
      !spec.egress?.length
    );
  });
  if (!denyAll)
    problems.push('NetworkPolicy: no default-deny policy (empty podSelector, no rules)');

  for (const policy of policies) {
    const spec = policySpec(policy);
    for (const [direction, rules] of [
      ['ingress', spec.ingress ?? []],
      ['egress', spec.egress ?? []],
    ] as const) {
      rules.forEach((rule, index) => {
        const peers = direction === 'ingress' ? rule.from : rule.to;
        if (!peers?.length)
          problems.push(`${id(policy)}: ${direction} rule ${index} allows any peer`);
        if (!rule.ports?.length)
          problems.push(`${id(policy)}: ${direction} rule ${index} allows any port`);
      });
    }
  }

  const appPolicies = (app: string) =>
    policies.filter(
      (p) => policySpec(p).podSelector?.matchLabels?.['app.kubernetes.io/name'] === app,
    );
  for (const { resource, pod } of own) {
    const app = pod.metadata?.labels?.['app.kubernetes.io/name'] ?? '';
    const mine = appPolicies(app);
    if (
      !mine.some(
        (p) => policySpec(p).policyTypes?.includes('Egress') && policySpec(p).egress?.length,
      )
    ) {
      problems.push(`${id(resource)}: no NetworkPolicy of its own allows its egress`);
    }
  }

  // The pods behind each Ingress must accept the ingress controller, or the route is dead.
  const serviceSelectors = new Map(
    resources
      .filter((r) => r.kind === 'Service')
      .map((r) => [
        r.metadata?.name ?? '',
        (r.spec as { selector?: Record<string, string> }).selector ?? {},
      ]),
  );
  for (const ingress of resources.filter((r) => r.kind === 'Ingress')) {
    for (const path of ingressPaths(ingress)) {
      const app = serviceSelectors.get(path.backend?.service?.name ?? '')?.[
        'app.kubernetes.io/name'
      ];
      if (!app) continue;
      const allowed = appPolicies(app).some((p) =>
        (policySpec(p).ingress ?? []).some((rule) =>
          JSON.stringify(rule.from ?? []).includes('"kubernetes.io/metadata.name":"ingress-nginx"'),
        ),
      );
      if (!allowed)
        problems.push(
          `${id(ingress)}: ${path.path ?? '?'} reaches ${app}, whose NetworkPolicy does not admit the ingress controller`,
        );
    }
  }
  return problems;
}

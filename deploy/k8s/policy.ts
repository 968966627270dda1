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
 *  - every Ingress backend is a Service of the same render.
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
  return problems;
}

import dns from 'node:dns';

/**
 * Two ways to turn a name into addresses, and they can disagree:
 *
 * - `dns.lookup()` asks the operating system (getaddrinfo), exactly like a browser, curl or
 *   `http.get()` does. It reads /etc/hosts first, so `localhost` works with no network.
 * - `dns.resolve*()` speaks the DNS protocol to the servers in /etc/resolv.conf. It never
 *   reads /etc/hosts, it can ask for any record type (A, AAAA, CNAME, MX, TXT…), and it
 *   fails when offline.
 *
 * No HTTP here: the route and the CLI both call `inspectName`.
 */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export type Outcome<T> = { ok: true; records: T } | { ok: false; code: string; message: string };

export interface DnsReport {
  name: string;
  /** What the OS resolver says (the answer your programs actually use). */
  lookup: Outcome<{ address: string; family: number }[]>;
  /** What DNS servers say, per record type. */
  resolve: Partial<Record<RecordType, Outcome<unknown[]>>>;
  /** The DNS servers `resolve` asked. */
  servers: string[];
  /** True when at least one of the above succeeded. */
  answered: boolean;
}

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Returns a sentence saying what is wrong, or null for a name worth asking about. */
export function validateHostname(name: string): string | null {
  if (HOSTNAME.test(name)) return null;
  return `"${name.slice(0, 80)}" is not a host name: use letters, digits and hyphens in dot-separated labels of at most 63 characters.`;
}

/** `"A,mx"` → `['A','MX']`; null/empty → all types; returns an error sentence for unknown types. */
export function parseRecordTypes(raw: string | null | undefined): RecordType[] | string {
  if (!raw) return [...RECORD_TYPES];
  const wanted = raw.split(',').map((t) => t.trim().toUpperCase());
  const unknown = wanted.filter((t) => !(RECORD_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0)
    return `Unknown record type ${unknown.join(', ')}; use ${RECORD_TYPES.join(', ')}.`;
  return wanted as RecordType[];
}

export async function inspectName(
  name: string,
  options: { types?: readonly RecordType[]; timeoutMs?: number } = {},
): Promise<DnsReport> {
  const types = options.types ?? RECORD_TYPES;
  const timeoutMs = options.timeoutMs ?? 2000;
  // Why our own Resolver: the default one retries for a long time when offline; a lesson
  // should fail in two seconds with a clear sentence instead.
  const resolver = new dns.promises.Resolver({ timeout: timeoutMs, tries: 1 });

  const resolveOne = (type: RecordType): Promise<unknown[]> => {
    switch (type) {
      case 'A':
        return resolver.resolve4(name);
      case 'AAAA':
        return resolver.resolve6(name);
      case 'CNAME':
        return resolver.resolveCname(name);
      case 'MX':
        return resolver.resolveMx(name);
      case 'TXT':
        // TXT records come as arrays of strings (255-byte pieces); join each record.
        return resolver.resolveTxt(name).then((records) => records.map((parts) => parts.join('')));
    }
  };

  const [lookup, ...resolved] = await Promise.all([
    settle(
      withTimeout(dns.promises.lookup(name, { all: true, verbatim: true }), timeoutMs * 2),
      name,
      'lookup',
    ),
    ...types.map((type) => settle(resolveOne(type), name, type)),
  ]);
  const resolve: DnsReport['resolve'] = {};
  types.forEach((type, i) => (resolve[type] = resolved[i]));
  return {
    name,
    lookup,
    resolve,
    servers: resolver.getServers(),
    answered: lookup.ok || resolved.some((r) => r?.ok === true && r.records.length > 0),
  };
}

async function settle<T>(promise: Promise<T>, name: string, what: string): Promise<Outcome<T>> {
  try {
    return { ok: true, records: await promise };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    return { ok: false, code, message: explain(code, name, what, err) };
  }
}

/** Turn resolver error codes into sentences a learner can act on. */
export function explain(code: string, name: string, what: string, err?: unknown): string {
  switch (code) {
    case 'ENOTFOUND':
      return what === 'lookup'
        ? `${name} is unknown here: neither /etc/hosts nor DNS knows it.`
        : `The DNS servers say ${name} does not exist (NXDOMAIN). (/etc/hosts is not asked by resolve.)`;
    case 'ENODATA':
      return `${name} exists but has no ${what} records.`;
    case 'ETIMEOUT':
    case 'TIMEOUT':
    case 'EAI_AGAIN':
      return `No DNS server answered for ${name} in time — are you offline? (lookup still works for names in /etc/hosts.)`;
    case 'ECONNREFUSED':
      return 'The DNS server refused the connection; check the nameservers in /etc/resolv.conf.';
    case 'ESERVFAIL':
      return `The DNS server failed while answering for ${name} (SERVFAIL).`;
    case 'EREFUSED':
      return `The DNS server refused to answer for ${name} (REFUSED).`;
    default:
      return `${what} failed for ${name}: ${err instanceof Error ? err.message : code}`;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

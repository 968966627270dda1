import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  inspectName,
  parseRecordTypes,
  validateHostname,
  type DnsReport,
} from '../dns/dns.service';
import { RawRequestError, parseHeader, sendRawRequest } from './raw-request';
import { LinePrinter } from './wire-format';

/**
 * The command line half of the lesson: the wire format made visible.
 *
 *   pnpm --filter @roadmap/basics cli -- request http://localhost:8080/negotiate -H 'Accept: text/plain'
 *   pnpm --filter @roadmap/basics cli -- dns localhost
 */
export const USAGE = `Usage: pnpm --filter @roadmap/basics cli -- <command> [options]

Commands
  request <url>            Send one HTTP/1.1 request over a raw TCP socket (TLS for https://)
                           and print every byte sent (>) and received (<), like curl -v.
    -X, --method <M>       Request method (default GET, or POST when --data is given).
    -H, --header <'N: V'>  Add or replace a header; repeat for more.
    -d, --data <text>      Request body; Content-Length is set for you. Say what it is with
                           -H 'Content-Type: application/json' (no type is added for you).
    -k, --insecure         https: accept any certificate (the self-signed one, for example).
        --cacert <file>    https: trust this certificate, e.g. packages/basics/.certs/cert.pem
        --timeout <ms>     Give up after this long (default 10000).
  dns <name>               Resolve a name both ways: dns.lookup (the OS, /etc/hosts) and
                           dns.resolve (DNS servers directly) for A, AAAA, CNAME, MX, TXT.
        --type <A,MX,…>    Only these record types.
  help, --help, -h         Show this text.

Examples
  pnpm --filter @roadmap/basics cli -- request http://localhost:8080/headers
  pnpm --filter @roadmap/basics cli -- request http://localhost:8080/body/echo -H 'Content-Type: application/json' -d '{"a":1}'
  pnpm --filter @roadmap/basics cli -- request https://localhost:8443/tls --cacert packages/basics/.certs/cert.pem
  pnpm --filter @roadmap/basics cli -- request 'http://localhost:8080/stream?chunks=3'
  pnpm --filter @roadmap/basics cli -- dns localhost
`;

class UsageError extends Error {}

/** Runs one command; returns the exit code (0 ok, 1 the network said no, 2 bad usage). */
export async function run(
  argv: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  // `pnpm run cli -- x` passes the `--` through on some pnpm versions; it is not an argument.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        method: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        data: { type: 'string', short: 'd' },
        insecure: { type: 'boolean', short: 'k' },
        cacert: { type: 'string' },
        timeout: { type: 'string' },
        type: { type: 'string' },
      },
    });
    const [command, target, ...extra] = positionals;
    if (values.help || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (extra.length > 0)
      throw new UsageError(`Unexpected argument "${extra[0]}" (quote URLs that contain & or ?).`);
    switch (command) {
      case 'request': {
        if (!target)
          throw new UsageError('request needs a URL, e.g. request http://localhost:8080/headers');
        let url: URL;
        try {
          url = new URL(target);
        } catch {
          throw new UsageError(
            `"${target}" is not a URL; include the scheme, e.g. http://localhost:8080/`,
          );
        }
        const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
          throw new UsageError('--timeout must be a positive number of milliseconds.');
        const method = (
          values.method ?? (values.data === undefined ? 'GET' : 'POST')
        ).toUpperCase();
        if (!/^[A-Z]+$/.test(method)) throw new UsageError(`"${method}" is not an HTTP method.`);
        return await request({
          url,
          method,
          headers: (values.header ?? []).map(parseHeader),
          ...(values.data !== undefined ? { body: values.data } : {}),
          insecure: values.insecure ?? false,
          ...(values.cacert ? { caFile: readableFile('--cacert', values.cacert) } : {}),
          timeoutMs,
          out,
        });
      }
      case 'dns': {
        if (!target) throw new UsageError('dns needs a name, e.g. dns localhost');
        const problem = validateHostname(target);
        if (problem) throw new UsageError(problem);
        const types = parseRecordTypes(values.type);
        if (typeof types === 'string') throw new UsageError(types);
        const report = await inspectName(target, { types });
        printDns(report, out);
        return report.answered ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${command}". Commands: request, dns, help.`);
    }
  } catch (error) {
    if (error instanceof RawRequestError && !(error.cause instanceof Error)) {
      // Raised before any network activity (a bad header, a bad scheme): a usage problem.
      err(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof RawRequestError) {
      err(`error: ${error.message}`);
      return 1;
    }
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      err(`error: ${(error as Error).message}\nRun with --help for usage.`);
      return 2;
    }
    throw error;
  }
}

/**
 * A path the user typed, made absolute. Why INIT_CWD: `pnpm --filter … cli` runs the script
 * inside packages/basics, but the user typed the path relative to where they were (pnpm puts
 * that folder in INIT_CWD), e.g. the repository root for packages/basics/.certs/cert.pem.
 */
export function userPath(typed: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), typed);
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** The absolute path of a file the user named, or a UsageError saying why it cannot be read. */
function readableFile(option: string, typed: string): string {
  const file = userPath(typed);
  try {
    readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    throw new UsageError(`${option}: cannot read ${file} (${FILE_PROBLEMS[code] ?? code})`);
  }
  return file;
}

async function request(
  options: Parameters<typeof sendRawRequest>[0] & { out: (line: string) => void },
): Promise<number> {
  const { out } = options;
  const sent = new LinePrinter('> ', out);
  const received = new LinePrinter('< ', out);
  const totals = await sendRawRequest(options, (event) => {
    switch (event.kind) {
      case 'info':
        return out(`* ${event.text}`);
      case 'sent':
        sent.push(event.bytes);
        return sent.flush();
      case 'received':
        return received.push(event.bytes);
    }
  });
  received.flush();
  out(`* ${totals.sent} bytes sent, ${totals.received} bytes received`);
  return 0;
}

function printDns(report: DnsReport, out: (line: string) => void): void {
  out(
    `dns.lookup("${report.name}") — the operating system's resolver (/etc/hosts, then DNS); what browsers and curl use`,
  );
  if (report.lookup.ok) {
    for (const { address, family } of report.lookup.records)
      out(`  ok   ${address} (IPv${family})`);
  } else {
    out(`  fail ${report.lookup.code}: ${report.lookup.message}`);
  }
  out(
    `dns.resolve*("${report.name}") — asks the DNS servers directly (${report.servers.join(', ') || 'none configured'}); never reads /etc/hosts`,
  );
  for (const [type, outcome] of Object.entries(report.resolve)) {
    if (outcome.ok)
      out(
        `  ${type.padEnd(5)} ok   ${outcome.records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(', ')}`,
      );
    else out(`  ${type.padEnd(5)} fail ${outcome.code}: ${outcome.message}`);
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error('unexpected error:', error);
      process.exitCode = 1;
    },
  );
}

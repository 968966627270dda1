import { inspectName, parseRecordTypes, validateHostname } from '../dns/dns.service';
import { HttpError } from '../http/http-error';
import { sendJson } from '../http/respond';
import { type Router } from '../http/router';

/**
 * Lesson: DNS, through the same service the CLI uses (`cli dns <name>`).
 * `/dns?name=example.com&type=A,MX` — see ../dns/dns.service.ts for lookup vs resolve.
 */
export function registerDnsRoutes(router: Router): void {
  router.on('GET', '/dns', async ({ res, url }) => {
    const name = url.searchParams.get('name') ?? 'localhost';
    const problem = validateHostname(name);
    if (problem) throw new HttpError(400, 'name', problem);
    const types = parseRecordTypes(url.searchParams.get('type'));
    if (typeof types === 'string') throw new HttpError(400, 'type', types);
    const report = await inspectName(name, { types });
    // 200 when anything answered. Otherwise: the name does not exist (404), or the
    // resolvers we depend on failed us (502) — two very different problems.
    const status = report.answered
      ? 200
      : report.lookup.ok === false && report.lookup.code === 'ENOTFOUND'
        ? 404
        : 502;
    sendJson(res, status, report);
  });
}

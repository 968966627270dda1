import request from 'supertest';
import { inspectName, parseRecordTypes, validateHostname } from '../src/dns/dns.service';
import { buildApp } from '../src/server';

const app = buildApp().listener;

describe('DNS (/dns and the dns service)', () => {
  it('when localhost is looked up, then lookup answers offline from /etc/hosts with a loopback address', async () => {
    const res = await request(app).get('/dns?name=localhost&type=A').expect(200);
    expect(res.body.lookup.ok).toBe(true);
    const { records } = (res.body as { lookup: { records: { address: string }[] } }).lookup;
    expect(records.some(({ address }) => address === '127.0.0.1' || address === '::1')).toBe(true);
    // resolve never reads /etc/hosts; whatever it says, it says it per record type.
    expect(Object.keys(res.body.resolve)).toEqual(['A']);
    expect(res.body.servers).toEqual(expect.any(Array));
  });

  it('when a name cannot exist (.invalid), then a clear error and no 200', async () => {
    const res = await request(app).get('/dns?name=no-such-host.invalid&type=A');
    expect([404, 502]).toContain(res.status);
    expect(res.body.lookup.ok).toBe(false);
    expect(res.body.lookup.message).toMatch(
      /no-such-host\.invalid is unknown here|offline|in time/,
    );
    expect(res.body.resolve.A.ok).toBe(false);
  });

  it('when the name or type is not valid, then 400 before any query is made', async () => {
    const badName = await request(app).get('/dns?name=bad name!').expect(400);
    expect(badName.body.errors.name[0]).toContain('is not a host name');
    const badType = await request(app).get('/dns?name=localhost&type=A,SOA').expect(400);
    expect(badType.body.errors.type[0]).toBe(
      'Unknown record type SOA; use A, AAAA, CNAME, MX, TXT.',
    );
  });

  it('when names and types are checked, then only real host names and known types pass', () => {
    expect(validateHostname('example.com')).toBeNull();
    expect(validateHostname('a'.repeat(64) + '.com')).toContain('63 characters');
    expect(validateHostname('-bad.com')).not.toBeNull();
    expect(parseRecordTypes('a, mx')).toEqual(['A', 'MX']);
    expect(parseRecordTypes(undefined)).toEqual(['A', 'AAAA', 'CNAME', 'MX', 'TXT']);
  });

  it('when every type is asked, then the report has one outcome per type', async () => {
    const report = await inspectName('localhost', { timeoutMs: 1000 });
    expect(Object.keys(report.resolve)).toEqual(['A', 'AAAA', 'CNAME', 'MX', 'TXT']);
    for (const outcome of Object.values(report.resolve)) {
      if (!outcome.ok) expect(outcome.message.length).toBeGreaterThan(10);
    }
    expect(report.answered).toBe(true);
  });
});

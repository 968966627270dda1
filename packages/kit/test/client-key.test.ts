import { clientKey } from '../src';

describe('clientKey: the unit every limiter counts', () => {
  it('when the address is IPv4, then it is its own key', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('when IPv6 addresses share a /64, then they share one key; another /64 gets another', () => {
    const keys = [
      '2001:db8:1:2::1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0:0:0:abcd',
    ].map(clientKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });

  it('when an IPv4 client arrives on a dual-stack socket (::ffff:a.b.c.d), then its key is the IPv4 address', () => {
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('when the IPv6 address has a zone id or the input is not an address, then it still gets a stable key', () => {
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('unknown')).toBe('unknown');
  });
});

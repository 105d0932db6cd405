import { describe, expect, it } from 'vitest';
import { addressInList, normalizeSourceAddress, parseAddress, parseRange } from '../../src/security/address-list.js';

describe('parseAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1', 'ipv4'],
    [' 8.8.8.8 ', '8.8.8.8', 'ipv4'],
    ['::1', '::1', 'ipv6'],
    ['[2001:db8::1]', '2001:db8::1', 'ipv6'],
    ['fe80::1%eth0', 'fe80::1', 'ipv6'],
    ['0:0:0:0:0:FFFF:c0a8:0101', '::ffff:192.168.1.1', 'ipv6'],
  ])('%j → %s (%s)', (input, address, family) => {
    expect(parseAddress(input)).toMatchObject({ address, family });
  });

  it.each(['', 'localhost', '127.1', '010.0.0.1', '1.2.3.4.5', '::g', '[::1', '2130706433'])('%j is not an address', (input) => {
    expect(parseAddress(input)).toBeNull();
  });
});

describe('parseRange', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.0.2.1', { address: '192.0.2.1', prefix: 32, family: 'ipv4' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['fd00::/8', { address: 'fd00::', prefix: 8, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['[::1]/128', { address: '::1', prefix: 128, family: 'ipv6' }],
    [' 10.0.0.0/16 ', { address: '10.0.0.0', prefix: 16, family: 'ipv4' }],
  ])('%j', (input, range) => {
    expect(parseRange(input)).toEqual(range);
  });

  it.each(['10.0.0.0/', '10.0.0.0/33', '::/129', '10.0.0.0/x', '10.0.0.0/-1', '10.0.0.0/8/8', '/8', 'fe80::/10%eth0', 'fe80::1%eth0', 'example.com', ''])(
    'refuses %j (a sloppy entry must not widen a list)',
    (input) => {
      expect(parseRange(input)).toBeNull();
    },
  );
});

describe('addressInList', () => {
  const list = ['172.255.248.29', '10.20.0.0/16', '2001:db8:1::/48'];

  it('matches single addresses and ranges of both families', () => {
    expect(addressInList('172.255.248.29', list)).toBe(true);
    expect(addressInList('172.255.248.30', list)).toBe(false);
    expect(addressInList('10.20.9.9', list)).toBe(true);
    expect(addressInList('10.21.0.1', list)).toBe(false);
    expect(addressInList('2001:db8:1::42', list)).toBe(true);
    expect(addressInList('2001:db8:2::42', list)).toBe(false);
  });

  it('matches an IPv4 peer reported in IPv4-mapped form', () => {
    expect(normalizeSourceAddress('::ffff:10.20.1.2')).toBe('10.20.1.2');
    expect(addressInList('::ffff:10.20.1.2', list)).toBe(true);
    expect(addressInList('::FFFF:172.255.248.29', list)).toBe(true);
  });

  it('skips malformed entries instead of failing or matching everything', () => {
    expect(addressInList('8.8.8.8', ['10.0.0.0/', 'nonsense', '1.2.3.4/x'])).toBe(false);
    expect(addressInList('1.2.3.4', ['10.0.0.0/', '1.2.3.4'])).toBe(true);
  });

  it('never matches something that is not an address', () => {
    expect(addressInList('', ['0.0.0.0/0', '::/0'])).toBe(false);
    expect(addressInList('unknown', ['0.0.0.0/0'])).toBe(false);
  });
});

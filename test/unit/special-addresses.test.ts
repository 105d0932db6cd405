import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/security/special-addresses.js';

/** One address in each forbidden IPv4 range, with its name and its hex-group spelling. */
const IPV4_SAMPLES = [
  ['0.1.2.3', 'unspecified', '1:203'],
  ['10.9.8.7', 'private', 'a09:807'],
  ['100.64.0.1', 'carrierGradeNat', '6440:1'],
  ['127.0.0.1', 'loopback', '7f00:1'],
  ['169.254.169.254', 'metadata', 'a9fe:a9fe'],
  ['169.254.3.4', 'linkLocal', 'a9fe:304'],
  ['172.20.0.1', 'private', 'ac14:1'],
  ['192.168.255.1', 'private', 'c0a8:ff01'],
  ['198.19.1.1', 'benchmarking', 'c613:101'],
  ['224.0.0.251', 'multicast', 'e000:fb'],
  ['255.255.255.255', 'broadcast', 'ffff:ffff'],
  ['8.8.4.4', 'unicast', '808:404'],
] as const;

describe('IPv6 addresses that carry an IPv4 address are judged by it', () => {
  it.each(IPV4_SAMPLES)('%s (%s) inside every carrier', (v4, name, hex) => {
    const forbidden = name !== 'unicast';
    expect(classifyAddress(v4)).toEqual({ forbidden, range: name });
    expect(classifyAddress(`::ffff:${v4}`)).toEqual({ forbidden, range: `ipv4Mapped:${name}` });
    expect(classifyAddress(`::ffff:${hex}`)).toEqual({ forbidden, range: `ipv4Mapped:${name}` });
    expect(classifyAddress(`64:ff9b::${v4}`)).toEqual({ forbidden, range: `nat64:${name}` });
    expect(classifyAddress(`64:ff9b::${hex}`)).toEqual({ forbidden, range: `nat64:${name}` });
    expect(classifyAddress(`2002:${hex}:1234::5`)).toEqual({ forbidden, range: `6to4:${name}` });
    // IPv4-compatible: always refused, still named after what it carries.
    expect(classifyAddress(`::${hex}`)).toEqual({ forbidden: true, range: `ipv4Compatible:${name}` });
  });

  it('does not mistake the neighbouring IPv6 ranges for carriers', () => {
    expect(classifyAddress('::ffff:0:a00:1')).toEqual({ forbidden: true, range: 'ipv4Translated' });
    expect(classifyAddress('64:ff9b:1::a00:1')).toEqual({ forbidden: true, range: 'nat64Local' });
    expect(classifyAddress('64:ff9b:0:1::a00:1')).toEqual({ forbidden: true, range: 'reserved' }); // outside 2000::/3
    expect(classifyAddress('2003:a00:1::')).toEqual({ forbidden: false, range: 'unicast' });
    expect(classifyAddress('::')).toEqual({ forbidden: true, range: 'unspecified' });
    expect(classifyAddress('::1')).toEqual({ forbidden: true, range: 'loopback' });
  });
});

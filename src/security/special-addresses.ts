/**
 * Which IP addresses are not public: the IANA IPv4/IPv6 special-purpose address registries plus
 * cloud metadata endpoints, kept as data and matched with Node's net.BlockList. The outbound guard
 * refuses these unless the operator allowed them.
 */
import type net from 'node:net';
import { type AddressRange, blockListOf, parseAddress, parseRange } from './address-list.js';

/** First match wins, so more specific entries come first. */
const FORBIDDEN_RANGES: ReadonlyArray<{ name: string; cidr: string }> = [
  { name: 'broadcast', cidr: '255.255.255.255/32' },
  { name: 'metadata', cidr: '169.254.169.254/32' }, // AWS, GCP, Azure, OpenStack, DigitalOcean…
  { name: 'metadata', cidr: '169.254.170.2/32' }, // AWS ECS task metadata
  { name: 'metadata', cidr: '100.100.100.200/32' }, // Alibaba Cloud
  { name: 'metadata', cidr: '192.0.0.192/32' }, // Oracle Cloud
  { name: 'unspecified', cidr: '0.0.0.0/8' },
  { name: 'private', cidr: '10.0.0.0/8' },
  { name: 'carrierGradeNat', cidr: '100.64.0.0/10' },
  { name: 'loopback', cidr: '127.0.0.0/8' },
  { name: 'linkLocal', cidr: '169.254.0.0/16' },
  { name: 'private', cidr: '172.16.0.0/12' },
  { name: 'ietfProtocol', cidr: '192.0.0.0/24' },
  { name: 'documentation', cidr: '192.0.2.0/24' },
  { name: 'reserved', cidr: '192.88.99.0/24' }, // deprecated 6to4 relay anycast
  { name: 'private', cidr: '192.168.0.0/16' },
  { name: 'benchmarking', cidr: '198.18.0.0/15' },
  { name: 'documentation', cidr: '198.51.100.0/24' },
  { name: 'documentation', cidr: '203.0.113.0/24' },
  { name: 'multicast', cidr: '224.0.0.0/4' },
  { name: 'reserved', cidr: '240.0.0.0/4' },

  { name: 'unspecified', cidr: '::/128' },
  { name: 'loopback', cidr: '::1/128' },
  { name: 'ipv4Translated', cidr: '::ffff:0:0:0/96' },
  { name: 'nat64Local', cidr: '64:ff9b:1::/48' },
  { name: 'discard', cidr: '100::/64' },
  { name: 'teredo', cidr: '2001::/32' },
  { name: 'benchmarking', cidr: '2001:2::/48' },
  { name: 'documentation', cidr: '2001:db8::/32' },
  { name: 'ietfProtocol', cidr: '2001::/23' },
  { name: 'documentation', cidr: '3fff::/20' },
  { name: 'metadata', cidr: 'fd00:ec2::254/128' }, // AWS IMDS over IPv6
  { name: 'uniqueLocal', cidr: 'fc00::/7' },
  { name: 'linkLocal', cidr: 'fe80::/10' },
  { name: 'siteLocal', cidr: 'fec0::/10' },
  { name: 'multicast', cidr: 'ff00::/8' },
];

/**
 * IPv6 ranges that carry an IPv4 address right after their prefix, which is where the packets end
 * up (through the kernel or a translator). Such an address is judged by the IPv4 address inside and
 * named after both (`'nat64:private'`, `'6to4:unicast'`); `embed` writes an IPv4 address into the
 * range. Only the IPv4-compatible range overlaps a range above (`::`, `::1`), so carriers are
 * looked at after them.
 */
const IPV4_CARRIERS: ReadonlyArray<{ name: string; cidr: string; embed: (v4: string) => string; alwaysForbidden?: true }> = [
  { name: 'ipv4Mapped', cidr: '::ffff:0:0/96', embed: (v4) => `::ffff:${v4}` },
  { name: 'nat64', cidr: '64:ff9b::/96', embed: (v4) => `64:ff9b::${v4}` },
  { name: '6to4', cidr: '2002::/16', embed: (v4) => `2002:${ipv4AsHexGroups(v4)}::` },
  // Deprecated IPv4-compatible addresses (`::a.b.c.d`) are never legitimately reachable.
  { name: 'ipv4Compatible', cidr: '::/96', embed: (v4) => `::${v4}`, alwaysForbidden: true },
];

/** IPv6 outside global unicast is still unassigned by IANA: refused as 'reserved'. */
const GLOBAL_UNICAST_V6 = '2000::/3';

function ipv4AsHexGroups(v4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function rangeOf(cidr: string): AddressRange {
  const range = parseRange(cidr);
  if (!range) throw new Error(`special-addresses: bad built-in range ${cidr}`);
  return range;
}

function namedList(name: string, range: AddressRange): { name: string; family: net.IPVersion; list: net.BlockList } {
  return { name, family: range.family, list: blockListOf([range]) };
}

const forbiddenRanges = FORBIDDEN_RANGES.map(({ name, cidr }) => ({ name, range: rangeOf(cidr) }));
const forbidden = forbiddenRanges.map(({ name, range }) => namedList(name, range));
const carriers = IPV4_CARRIERS.map((carrier) => {
  const outer = rangeOf(carrier.cidr);
  return {
    ...carrier,
    list: blockListOf([outer]),
    // Each forbidden IPv4 range, as it appears inside this carrier.
    inner: forbiddenRanges
      .filter(({ range }) => range.family === 'ipv4')
      .map(({ name, range }) => namedList(name, rangeOf(`${carrier.embed(range.address)}/${outer.prefix + range.prefix}`))),
  };
});
const globalUnicastV6 = blockListOf([rangeOf(GLOBAL_UNICAST_V6)]);

export interface Classification {
  forbidden: boolean;
  range: string;
}

/** Classifies a parsed address; see classifyAddress. */
export function classify(address: net.SocketAddress): Classification {
  // Same family only: BlockList would otherwise match IPv4-mapped IPv6 addresses against IPv4 ranges.
  const hit = forbidden.find((r) => r.family === address.family && r.list.check(address));
  if (hit) return { forbidden: true, range: hit.name };
  if (address.family === 'ipv4') return { forbidden: false, range: 'unicast' };
  const carrier = carriers.find((c) => c.list.check(address));
  if (carrier) {
    const inner = carrier.inner.find((r) => r.list.check(address));
    return { forbidden: carrier.alwaysForbidden === true || inner !== undefined, range: `${carrier.name}:${inner?.name ?? 'unicast'}` };
  }
  return globalUnicastV6.check(address) ? { forbidden: false, range: 'unicast' } : { forbidden: true, range: 'reserved' };
}

/**
 * Classifies an IP address. Pure. `range` names the range (`'unicast'` for a public address);
 * addresses that embed an IPv4 address are named after it (`'ipv4Mapped:loopback'`,
 * `'nat64:private'`, `'6to4:unicast'`). Anything that is not an IP address is forbidden
 * (`range: 'invalid'`).
 */
export function classifyAddress(ip: string): Classification {
  const address = parseAddress(ip);
  return address ? classify(address) : { forbidden: true, range: 'invalid' };
}

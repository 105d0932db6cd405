import net from 'node:net';

/**
 * IP addresses and CIDR ranges as operators and tenants write them, matched with Node's
 * net.BlockList so that no address arithmetic of our own is involved.
 */

export interface AddressRange {
  address: string;
  prefix: number;
  family: net.IPVersion;
}

/** `[::1]` (how URLs write IPv6 hosts) → `::1`; anything else unchanged. */
export function withoutBrackets(host: string): string {
  return host.length > 1 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * An IP address in the form net.BlockList checks, or null when the text is not one. IPv6 may be
 * bracketed (`[::1]`, as in URLs) and carry a zone id (`fe80::1%eth0`, which the socket address drops).
 */
export function parseAddress(text: string): net.SocketAddress | null {
  const ip = withoutBrackets(text.trim());
  const version = net.isIP(ip);
  if (version === 0) return null;
  try {
    return new net.SocketAddress({ address: ip, family: version === 4 ? 'ipv4' : 'ipv6' });
  } catch {
    return null;
  }
}

/**
 * A CIDR range (`10.0.0.0/8`, `fd00::/8`) or a single address (`192.0.2.1`, `::1`), or null for
 * anything else. Strict, because a sloppy entry must never widen a list: `10.0.0.0/` is not `/0`.
 */
export function parseRange(text: string): AddressRange | null {
  const [addressText = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addressText.includes('%')) return null;
  const address = parseAddress(addressText);
  if (!address) return null;
  const max = address.family === 'ipv4' ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  return prefix <= max ? { address: address.address, prefix, family: address.family } : null;
}

export function blockListOf(ranges: Iterable<AddressRange>): net.BlockList {
  const list = new net.BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return list;
}

/** Sockets report IPv4 peers on dual-stack listeners as ::ffff:a.b.c.d. */
export function normalizeSourceAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/**
 * Whether an address is one of the listed addresses or inside one of the listed CIDR ranges.
 * Entries that are neither are skipped.
 */
export function addressInList(address: string, list: readonly string[]): boolean {
  const ip = parseAddress(normalizeSourceAddress(address));
  if (!ip) return false;
  const ranges = list.map(parseRange).filter((r): r is AddressRange => r !== null);
  return blockListOf(ranges).check(ip);
}

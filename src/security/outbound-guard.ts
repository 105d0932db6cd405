/**
 * Outbound address guard (DESIGN §5, §6).
 *
 * No tenant-supplied URL (webhook endpoint, gateway `config.base_url`) may make Switchyard connect
 * to a private, loopback, link-local, CGNAT, multicast, unspecified, reserved, documentation,
 * benchmarking, cloud-metadata or other non-public address, unless the operator allowed it
 * (`allowPrivate` for everything, or an `allowList` of exact hostnames and CIDR ranges).
 *
 * The check that matters happens at CONNECT time, on the address actually connected to: a custom
 * `lookup` installed in the socket options resolves the name and refuses the connection if ANY
 * resolved address is forbidden, so a name that resolves to a public address at registration and
 * to a private one later (DNS rebinding) still fails. Node skips `lookup` for IP literals, so the
 * connectors below also check literal hosts before connecting.
 *
 * Use it as:
 *   const dispatcher = createGuardedDispatcher(policy);
 *   await request(url, { dispatcher, ... })            // undici's request / fetch
 * and validate at registration time with `await assertUrlAllowed(new URL(input), policy)`.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';

// ---------------------------------------------------------------------------------------------
// Errors and policy

/**
 * The one error this module throws. `reason` is machine-readable: the forbidden range's name
 * (`'loopback'`, `'ipv4Mapped:private'`, …), or one of `'unsupported_protocol'`,
 * `'credentials_in_url'`, `'unresolvable'`, `'no_addresses'`, `'invalid_address'`.
 * The message never contains the full URL (it may carry credentials), only the host.
 */
export class OutboundAddressError extends Error {
  readonly code = 'outbound_address_forbidden';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(describe(host, address, reason));
    this.name = 'OutboundAddressError';
  }
}

function describe(host: string, address: string, reason: string): string {
  switch (reason) {
    case 'unsupported_protocol':
      return `outbound URL refused: only http and https are allowed (got ${JSON.stringify(address)})`;
    case 'credentials_in_url':
      return `outbound URL for ${host} refused: credentials in the URL are not allowed`;
    case 'unresolvable':
      return `outbound URL refused: ${host} does not resolve${address ? ` (${address})` : ''}`;
    case 'no_addresses':
      return `outbound URL refused: ${host} resolved to no address`;
    default:
      return address === '' || address === host
        ? `outbound connection to ${host} refused: ${reason} address`
        : `outbound connection to ${host} (${address}) refused: ${reason} address`;
  }
}

export interface OutboundPolicy {
  /** Lifts the guard entirely (tests, local demos). */
  allowPrivate: boolean;
  /** Exact hostnames (case-insensitive), IP addresses and CIDR ranges (v4 or v6) that may be reached anyway. */
  allowList: string[];
}

// ---------------------------------------------------------------------------------------------
// Address parsing (strict: only what net.isIP accepts; WHATWG URL already canonicalises
// odd IPv4 spellings such as `0x7f.1` or `2130706433` to dotted-quad).

type Bytes = Uint8Array; // 4 bytes for IPv4, 16 for IPv6

function stripBrackets(host: string): string {
  return host.length > 1 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function stripZone(ip: string): string {
  const pct = ip.indexOf('%');
  return pct === -1 ? ip : ip.slice(0, pct);
}

function parseV4(ip: string): Bytes | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(ip: string): Bytes | null {
  let s = ip;
  // A trailing dotted-quad (`::ffff:1.2.3.4`) becomes two hex groups.
  const lastColon = s.lastIndexOf(':');
  if (lastColon === -1) return null;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]!);
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : [];
  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  return out;
}

/** Parses an IP address (IPv6 may be bracketed and carry a zone id). Null when it is not one. */
function parseIp(input: string): Bytes | null {
  const ip = stripZone(stripBrackets(input.trim()));
  switch (net.isIP(ip)) {
    case 4:
      return parseV4(ip);
    case 6:
      return parseV6(ip);
    default:
      return null;
  }
}

interface Cidr {
  bytes: Bytes;
  prefix: number;
}

function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes || addr.includes('%')) return null;
  const max = bytes.length * 8;
  let prefix = max;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  return { bytes, prefix };
}

function inCidr(ip: Bytes, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`outbound-guard: bad built-in range ${text}`);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Classification (IANA IPv4/IPv6 special-purpose address registries, plus cloud metadata).
// First match wins, so more specific entries come first.

const V4_RANGES: ReadonlyArray<readonly [Cidr, string]> = (
  [
    ['255.255.255.255/32', 'broadcast'],
    ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, DigitalOcean…
    ['169.254.170.2/32', 'metadata'], // AWS ECS task metadata
    ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
    ['192.0.0.192/32', 'metadata'], // Oracle Cloud
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'carrierGradeNat'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'linkLocal'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'ietfProtocol'],
    ['192.0.2.0/24', 'documentation'],
    ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'benchmarking'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.0/24', 'documentation'],
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved'],
  ] as const
).map(([c, name]) => [cidr(c), name] as const);

/** IPv6 ranges that embed an IPv4 address: classified by the embedded address. */
const V4_MAPPED = cidr('::ffff:0:0/96');
const V6_EMBEDDING: ReadonlyArray<readonly [Cidr, string, (b: Bytes) => Bytes]> = [
  [V4_MAPPED, 'ipv4Mapped', (b) => b.slice(12, 16)],
  [cidr('64:ff9b::/96'), 'nat64', (b) => b.slice(12, 16)],
  [cidr('2002::/16'), '6to4', (b) => b.slice(2, 6)],
];

const V6_RANGES: ReadonlyArray<readonly [Cidr, string]> = (
  [
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['::ffff:0:0:0/96', 'ipv4Translated'],
    ['64:ff9b:1::/48', 'nat64Local'],
    ['100::/64', 'discard'],
    ['2001::/32', 'teredo'],
    ['2001:2::/48', 'benchmarking'],
    ['2001:db8::/32', 'documentation'],
    ['2001::/23', 'ietfProtocol'],
    ['3fff::/20', 'documentation'],
    ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
    ['fc00::/7', 'uniqueLocal'],
    ['fe80::/10', 'linkLocal'],
    ['fec0::/10', 'siteLocal'],
    ['ff00::/8', 'multicast'],
  ] as const
).map(([c, name]) => [cidr(c), name] as const);

const V4_COMPATIBLE = cidr('::/96');
const V6_GLOBAL_UNICAST = cidr('2000::/3');

function classifyV4(b: Bytes): { forbidden: boolean; range: string } {
  for (const [range, name] of V4_RANGES) if (inCidr(b, range)) return { forbidden: true, range: name };
  return { forbidden: false, range: 'unicast' };
}

function classifyBytes(b: Bytes): { forbidden: boolean; range: string } {
  if (b.length === 4) return classifyV4(b);
  for (const [range, name, extract] of V6_EMBEDDING) {
    if (inCidr(b, range)) {
      const inner = classifyV4(extract(b));
      return { forbidden: inner.forbidden, range: `${name}:${inner.range}` };
    }
  }
  for (const [range, name] of V6_RANGES) if (inCidr(b, range)) return { forbidden: true, range: name };
  // Deprecated IPv4-compatible addresses (`::a.b.c.d`): never legitimately reachable, always refused.
  if (inCidr(b, V4_COMPATIBLE)) return { forbidden: true, range: `ipv4Compatible:${classifyV4(b.slice(12, 16)).range}` };
  if (inCidr(b, V6_GLOBAL_UNICAST)) return { forbidden: false, range: 'unicast' };
  return { forbidden: true, range: 'reserved' };
}

/** The IPv4 address an IPv4-mapped IPv6 address stands for (the socket really connects to it). */
function unmapV4(b: Bytes): Bytes | null {
  return b.length === 16 && inCidr(b, V4_MAPPED) ? b.slice(12, 16) : null;
}

/**
 * Classifies an IP address. Pure. `range` names the range (`'unicast'` for a public address);
 * addresses that embed an IPv4 address are named after it (`'ipv4Mapped:loopback'`,
 * `'nat64:private'`, `'6to4:unicast'`). Anything that is not an IP address is forbidden
 * (`range: 'invalid'`).
 */
export function classifyAddress(ip: string): { forbidden: boolean; range: string } {
  const b = parseIp(ip);
  if (!b) return { forbidden: true, range: 'invalid' };
  return classifyBytes(b);
}

// ---------------------------------------------------------------------------------------------
// Policy

function normalizeHost(host: string): string {
  let h = stripBrackets(host.trim()).toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

type AllowEntry = { kind: 'cidr'; cidr: Cidr } | { kind: 'host'; host: string };

function parseAllowEntry(entry: string): AllowEntry | null {
  const e = entry.trim();
  if (e === '') return null;
  if (e.includes('/') || parseIp(e)) {
    const c = parseCidr(stripBrackets(e));
    return c ? { kind: 'cidr', cidr: c } : null;
  }
  const host = normalizeHost(e);
  // Hostname syntax (labels of letters, digits, '-', '_'); anything else cannot match a URL host.
  if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/.test(host)) return null;
  return { kind: 'host', host };
}

const compiled = new WeakMap<readonly string[], { source: string[]; entries: AllowEntry[] }>();

function allowEntries(list: readonly string[]): AllowEntry[] {
  const hit = compiled.get(list);
  if (hit && hit.source.length === list.length && hit.source.every((s, i) => s === list[i])) return hit.entries;
  const entries: AllowEntry[] = [];
  for (const raw of list) {
    const e = parseAllowEntry(raw);
    if (e) entries.push(e); // an entry that does not parse never widens the policy
  }
  compiled.set(list, { source: [...list], entries });
  return entries;
}

/**
 * For configuration parsing: throws (naming the entry) if an allow-list entry is neither an exact
 * hostname, an IP address, nor a CIDR range. The guard itself ignores such entries.
 */
export function validateAllowList(list: readonly string[]): void {
  for (const raw of list) {
    if (!parseAllowEntry(raw)) {
      throw new Error(`invalid outbound allow-list entry ${JSON.stringify(raw)}: expected a hostname, an IP address or a CIDR range`);
    }
  }
}

/**
 * May Switchyard connect to `ip`, reached through the name `host`? True when the policy allows
 * private addresses, the address is public, `host` is on the allow-list (exact, case-insensitive),
 * or the address is inside an allow-listed range (an IPv4-mapped address also matches IPv4 ranges).
 */
export function isAllowedAddress(ip: string, host: string, policy: OutboundPolicy): boolean {
  if (policy.allowPrivate) return true;
  const b = parseIp(ip);
  if (!b) return false;
  if (!classifyBytes(b).forbidden) return true;
  const entries = allowEntries(policy.allowList);
  if (entries.length === 0) return false;
  const name = normalizeHost(host);
  const v4 = unmapV4(b);
  for (const e of entries) {
    if (e.kind === 'host') {
      if (e.host === name) return true;
    } else if (inCidr(b, e.cidr) || (v4 !== null && inCidr(v4, e.cidr))) {
      return true;
    }
  }
  return false;
}

function addressError(host: string, address: string): OutboundAddressError {
  return new OutboundAddressError(host, address, classifyAddress(address).range);
}

/** If `host` is an IP literal the policy forbids, the error to fail with; otherwise null. */
function literalHostError(rawHost: string | null | undefined, policy: OutboundPolicy): OutboundAddressError | null {
  if (rawHost == null || policy.allowPrivate) return null;
  const host = stripBrackets(rawHost);
  if (net.isIP(stripZone(host)) === 0) return null;
  return isAllowedAddress(host, host, policy) ? null : addressError(host, host);
}

// ---------------------------------------------------------------------------------------------
// Connect-time lookup

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
type BaseLookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for `net.connect` / http(s) agents / undici's `connect` options. Resolves `hostname`
 * (all addresses), and fails with OutboundAddressError if ANY of them is forbidden by the policy;
 * otherwise answers like `dns.lookup` (`options.all` true: the list; false: the first address).
 * `baseLookup` replaces `dns.lookup` (tests).
 */
export function guardedLookup(policy: OutboundPolicy, baseLookup: BaseLookup = dns.lookup): net.LookupFunction {
  function lookup(
    hostname: string,
    options: dns.LookupOptions | number | LookupCallback | undefined,
    callback?: LookupCallback,
  ): void {
    let opts: dns.LookupOptions;
    let cb: LookupCallback;
    if (typeof options === 'function') {
      cb = options;
      opts = {};
    } else {
      cb = callback!;
      opts = typeof options === 'number' ? { family: options } : { ...(options ?? {}) };
    }
    const wantAll = opts.all === true;
    const fail = (err: NodeJS.ErrnoException): void => (cb as (e: NodeJS.ErrnoException) => void)(err);
    baseLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return fail(err);
      if (!Array.isArray(addresses) || addresses.length === 0) {
        return fail(new OutboundAddressError(hostname, '', 'no_addresses'));
      }
      for (const a of addresses) {
        if (!isAllowedAddress(a.address, hostname, policy)) return fail(addressError(hostname, a.address));
      }
      if (wantAll) return cb(null, addresses);
      const first = addresses[0]!;
      cb(null, first.address, first.family);
    });
  }
  return lookup as net.LookupFunction;
}

// ---------------------------------------------------------------------------------------------
// URL validation

/**
 * Synchronous checks: http(s) only, no credentials in the URL, and no forbidden IP literal as the
 * host. Hostnames are not resolved here (the connect-time lookup checks them).
 */
export function assertUrlAllowedSync(url: URL, policy: OutboundPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundAddressError(url.hostname, url.protocol, 'unsupported_protocol');
  }
  if (url.username !== '' || url.password !== '') {
    throw new OutboundAddressError(url.hostname, '', 'credentials_in_url');
  }
  const host = stripBrackets(url.hostname);
  if (host === '') throw new OutboundAddressError(host, '', 'invalid_address');
  const err = literalHostError(host, policy);
  if (err) throw err;
}

function lookupAll(hostname: string): Promise<dns.LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/**
 * `assertUrlAllowedSync` plus resolving the hostname now, for registration-time validation with a
 * clear error: rejects if any resolved address is forbidden, or if the name does not resolve
 * (`reason: 'unresolvable'`). The connect-time lookup still checks again on every connection.
 */
export async function assertUrlAllowed(url: URL, policy: OutboundPolicy): Promise<void> {
  assertUrlAllowedSync(url, policy);
  const host = stripBrackets(url.hostname);
  if (policy.allowPrivate || net.isIP(stripZone(host)) !== 0) return;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OutboundAddressError(host, typeof code === 'string' ? code : '', 'unresolvable');
  }
  if (addresses.length === 0) throw new OutboundAddressError(host, '', 'no_addresses');
  for (const a of addresses) {
    if (!isAllowedAddress(a.address, host, policy)) throw addressError(host, a.address);
  }
}

// ---------------------------------------------------------------------------------------------
// Connectors

/**
 * An undici Agent whose every connection goes through the guard: IP-literal hosts are checked
 * before connecting, hostnames through the guarded lookup. Pass it as `dispatcher` to undici's
 * `request` / `fetch` (undici's `request` rejects with the OutboundAddressError itself; `fetch`
 * rejects with `TypeError('fetch failed')` whose `cause` is it). Redirects followed by `fetch`
 * go through the same dispatcher, so they are checked too.
 */
export function createGuardedDispatcher(policy: OutboundPolicy, opts: { connectTimeoutMs?: number } = {}): Agent {
  const base = buildConnector({ timeout: opts.connectTimeoutMs ?? 10_000, lookup: guardedLookup(policy) });
  const connect: buildConnector.connector = (options, callback) => {
    const err = literalHostError(options.hostname, policy);
    if (err) {
      callback(err, null);
      return;
    }
    base(options, callback);
  };
  return new Agent({ connect });
}

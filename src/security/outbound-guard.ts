/**
 * Outbound address guard.
 *
 * No tenant-supplied URL (webhook endpoint, gateway `config.base_url`) may make Switchyard connect
 * to a private, loopback, link-local, CGNAT, multicast, unspecified, reserved, documentation,
 * benchmarking, cloud-metadata or other non-public address, unless the operator allowed it
 * (`allowPrivate` for everything, or an `allowList` of exact hostnames and CIDR ranges): otherwise
 * a tenant could make the gateway reach its internal network or the cloud metadata service.
 *
 * The check that matters happens at CONNECT time, on the address actually connected to: a custom
 * `lookup` installed in the socket options resolves the name and refuses the connection if ANY
 * resolved address is forbidden, so a name that resolves to a public address at registration and
 * to a private one later (DNS rebinding) still fails. Node skips `lookup` for IP literals, so the
 * connector below also checks literal hosts before connecting.
 *
 * Address parsing and range matching are Node's (net.isIP, net.SocketAddress, net.BlockList); which
 * addresses are non-public is the table in special-addresses.ts.
 *
 * Use it as:
 *   const dispatcher = createGuardedDispatcher(policy);
 *   await request(url, { dispatcher, ... })            // undici's request / fetch
 * and validate at registration time with `await assertUrlAllowed(new URL(input), policy)`.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { type AddressRange, blockListOf, parseAddress, parseRange, withoutBrackets } from './address-list.js';
import { classify, classifyAddress } from './special-addresses.js';

export { classifyAddress };

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
// Policy

function normalizeHost(host: string): string {
  let h = withoutBrackets(host.trim()).toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

// Hostname syntax (labels of letters, digits, '-', '_'); anything else cannot match a URL host.
const HOSTNAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

type AllowEntry = { range: AddressRange } | { host: string };

function parseAllowEntry(entry: string): AllowEntry | null {
  const range = parseRange(entry);
  if (range) return { range };
  const host = normalizeHost(entry);
  return HOSTNAME.test(host) ? { host } : null;
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
 * An entry that does not parse never widens the policy.
 */
export function isAllowedAddress(ip: string, host: string, policy: OutboundPolicy): boolean {
  if (policy.allowPrivate) return true;
  const address = parseAddress(ip);
  if (!address) return false;
  if (!classify(address).forbidden) return true;
  const name = normalizeHost(host);
  const ranges: AddressRange[] = [];
  for (const entry of policy.allowList.map(parseAllowEntry)) {
    if (entry && 'host' in entry && entry.host === name) return true;
    // BlockList matches IPv4-mapped addresses against IPv4 ranges, as wanted, but would also match
    // plain IPv4 addresses against IPv6 ranges covering ::ffff:0:0/96, which an IPv6 entry does not mean.
    if (entry && 'range' in entry && (address.family === 'ipv6' || entry.range.family === 'ipv4')) ranges.push(entry.range);
  }
  return blockListOf(ranges).check(address);
}

function addressError(host: string, address: string): OutboundAddressError {
  return new OutboundAddressError(host, address, classifyAddress(address).range);
}

/** If `host` is an IP literal the policy forbids, the error to fail with; otherwise null. */
function literalHostError(rawHost: string | null | undefined, policy: OutboundPolicy): OutboundAddressError | null {
  if (rawHost == null || policy.allowPrivate) return null;
  const host = withoutBrackets(rawHost);
  if (!parseAddress(host)) return null;
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
    const cb = typeof options === 'function' ? options : callback!;
    const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : typeof options === 'function' ? {} : (options ?? {});
    const fail = (err: NodeJS.ErrnoException): void => (cb as (e: NodeJS.ErrnoException) => void)(err);
    baseLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return fail(err);
      if (!Array.isArray(addresses) || addresses.length === 0) {
        return fail(new OutboundAddressError(hostname, '', 'no_addresses'));
      }
      const refused = addresses.find((a) => !isAllowedAddress(a.address, hostname, policy));
      if (refused) return fail(addressError(hostname, refused.address));
      if (opts.all === true) return cb(null, addresses);
      cb(null, addresses[0]!.address, addresses[0]!.family);
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
  const host = withoutBrackets(url.hostname);
  if (host === '') throw new OutboundAddressError(host, '', 'invalid_address');
  const err = literalHostError(host, policy);
  if (err) throw err;
}

/**
 * `assertUrlAllowedSync` plus resolving the hostname now, for registration-time validation with a
 * clear error: rejects if any resolved address is forbidden, or if the name does not resolve
 * (`reason: 'unresolvable'`). The connect-time lookup still checks again on every connection.
 */
export async function assertUrlAllowed(url: URL, policy: OutboundPolicy): Promise<void> {
  assertUrlAllowedSync(url, policy);
  const host = withoutBrackets(url.hostname);
  if (policy.allowPrivate || parseAddress(host)) return;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OutboundAddressError(host, typeof code === 'string' ? code : '', 'unresolvable');
  }
  if (addresses.length === 0) throw new OutboundAddressError(host, '', 'no_addresses');
  const refused = addresses.find((a) => !isAllowedAddress(a.address, host, policy));
  if (refused) throw addressError(host, refused.address);
}

// ---------------------------------------------------------------------------------------------
// Connector

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
    if (err) callback(err, null);
    else base(options, callback);
  };
  return new Agent({ connect });
}

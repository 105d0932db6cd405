import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch, request } from 'undici';
import {
  OutboundAddressError,
  type OutboundPolicy,
  assertUrlAllowed,
  assertUrlAllowedSync,
  classifyAddress,
  createGuardedDispatcher,
  guardedLookup,
  isAllowedAddress,
  validateAllowList,
} from '../../src/security/outbound-guard.js';

const strict: OutboundPolicy = { allowPrivate: false, allowList: [] };
const open: OutboundPolicy = { allowPrivate: true, allowList: [] };

describe('classifyAddress', () => {
  it.each([
    // IPv4
    ['127.0.0.1', true, 'loopback'],
    ['127.255.255.254', true, 'loopback'],
    ['10.1.2.3', true, 'private'],
    ['172.16.0.1', true, 'private'],
    ['172.31.255.255', true, 'private'],
    ['172.32.0.1', false, 'unicast'],
    ['172.15.255.255', false, 'unicast'],
    ['192.168.1.1', true, 'private'],
    ['169.254.169.254', true, 'metadata'],
    ['169.254.170.2', true, 'metadata'],
    ['100.100.100.200', true, 'metadata'],
    ['169.254.1.1', true, 'linkLocal'],
    ['100.64.0.1', true, 'carrierGradeNat'],
    ['100.127.255.255', true, 'carrierGradeNat'],
    ['100.128.0.1', false, 'unicast'],
    ['0.0.0.0', true, 'unspecified'],
    ['0.1.2.3', true, 'unspecified'],
    ['224.0.0.1', true, 'multicast'],
    ['239.255.255.250', true, 'multicast'],
    ['240.0.0.1', true, 'reserved'],
    ['255.255.255.255', true, 'broadcast'],
    ['198.18.0.1', true, 'benchmarking'],
    ['198.19.255.255', true, 'benchmarking'],
    ['198.20.0.1', false, 'unicast'],
    ['192.0.2.1', true, 'documentation'],
    ['198.51.100.7', true, 'documentation'],
    ['203.0.113.9', true, 'documentation'],
    ['192.0.0.8', true, 'ietfProtocol'],
    ['192.88.99.1', true, 'reserved'],
    ['8.8.8.8', false, 'unicast'],
    ['1.1.1.1', false, 'unicast'],
    // IPv6
    ['::1', true, 'loopback'],
    ['::', true, 'unspecified'],
    ['fe80::1', true, 'linkLocal'],
    ['fe80::1%eth0', true, 'linkLocal'],
    ['febf::1', true, 'linkLocal'],
    ['fec0::1', true, 'siteLocal'],
    ['fc00::1', true, 'uniqueLocal'],
    ['fd12::1', true, 'uniqueLocal'],
    ['fd00:ec2::254', true, 'metadata'],
    ['ff02::1', true, 'multicast'],
    ['ff05::1:3', true, 'multicast'],
    ['::ffff:127.0.0.1', true, 'ipv4Mapped:loopback'],
    ['::ffff:7f00:1', true, 'ipv4Mapped:loopback'],
    ['::FFFF:10.0.0.1', true, 'ipv4Mapped:private'],
    ['::ffff:10.0.0.1', true, 'ipv4Mapped:private'],
    ['::ffff:169.254.169.254', true, 'ipv4Mapped:metadata'],
    ['0:0:0:0:0:ffff:c0a8:0101', true, 'ipv4Mapped:private'],
    ['::ffff:8.8.8.8', false, 'ipv4Mapped:unicast'],
    ['::127.0.0.1', true, 'ipv4Compatible:loopback'],
    ['::8.8.8.8', true, 'ipv4Compatible:unicast'],
    ['::ffff:0:127.0.0.1', true, 'ipv4Translated'],
    ['64:ff9b::a00:1', true, 'nat64:private'],
    ['64:ff9b::127.0.0.1', true, 'nat64:loopback'],
    ['64:ff9b::808:808', false, 'nat64:unicast'],
    ['64:ff9b:1::1', true, 'nat64Local'],
    ['2002:a00:1::', true, '6to4:private'],
    ['2002:7f00:1::1', true, '6to4:loopback'],
    ['2002:a9fe:a9fe::', true, '6to4:metadata'],
    ['2002:808:808::1', false, '6to4:unicast'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true, 'teredo'],
    ['2001:db8::1', true, 'documentation'],
    ['3fff::1', true, 'documentation'],
    ['2001:2::1', true, 'benchmarking'],
    ['2001:10::1', true, 'ietfProtocol'],
    ['100::1', true, 'discard'],
    ['4000::1', true, 'reserved'],
    ['2001:4860:4860::8888', false, 'unicast'],
    ['2606:4700:4700::1111', false, 'unicast'],
    ['[2001:4860:4860::8888]', false, 'unicast'],
  ] as const)('%s → forbidden=%s (%s)', (ip, forbidden, range) => {
    expect(classifyAddress(ip)).toEqual({ forbidden, range });
  });

  it.each(['', 'localhost', 'example.com', '127.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', '1.2.3.4.5', '::g', '1:2:3:4:5:6:7:8:9', ' '])(
    'treats the non-address %j as forbidden',
    (input) => {
      expect(classifyAddress(input)).toEqual({ forbidden: true, range: 'invalid' });
    },
  );
});

describe('isAllowedAddress', () => {
  it('allows public addresses and refuses private ones under a strict policy', () => {
    expect(isAllowedAddress('8.8.8.8', 'dns.google', strict)).toBe(true);
    expect(isAllowedAddress('2001:4860:4860::8888', 'dns.google', strict)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', 'internal', strict)).toBe(false);
    expect(isAllowedAddress('::ffff:127.0.0.1', 'x', strict)).toBe(false);
    expect(isAllowedAddress('not-an-ip', 'x', strict)).toBe(false);
  });

  it('allowPrivate lifts everything', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', 'fd00:ec2::254', '::ffff:10.0.0.1', '0.0.0.0']) {
      expect(isAllowedAddress(ip, 'anything', open)).toBe(true);
    }
  });

  it('allows IPv4 and IPv6 CIDR ranges and single addresses, and nothing outside them', () => {
    const policy: OutboundPolicy = { allowPrivate: false, allowList: ['10.20.0.0/16', 'fd12:3456::/32', '192.168.1.10', '::1'] };
    expect(isAllowedAddress('10.20.5.6', 'btcpay', policy)).toBe(true);
    expect(isAllowedAddress('10.21.0.1', 'btcpay', policy)).toBe(false);
    expect(isAllowedAddress('fd12:3456:1::9', 'btcpay', policy)).toBe(true);
    expect(isAllowedAddress('fd12:3457::9', 'btcpay', policy)).toBe(false);
    expect(isAllowedAddress('192.168.1.10', 'btcpay', policy)).toBe(true);
    expect(isAllowedAddress('192.168.1.11', 'btcpay', policy)).toBe(false);
    expect(isAllowedAddress('::1', 'btcpay', policy)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', 'btcpay', policy)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', 'btcpay', policy)).toBe(false);
  });

  it('matches an IPv4-mapped address against IPv4 ranges (the socket connects to that IPv4 address)', () => {
    const policy: OutboundPolicy = { allowPrivate: false, allowList: ['127.0.0.0/8'] };
    expect(isAllowedAddress('::ffff:127.0.0.1', 'x', policy)).toBe(true);
    expect(isAllowedAddress('127.9.9.9', 'x', policy)).toBe(true);
    expect(isAllowedAddress('::1', 'x', policy)).toBe(false);
    expect(isAllowedAddress('::ffff:10.0.0.1', 'x', policy)).toBe(false);
  });

  it('an IPv6 range never allows a plain IPv4 address, even one covering ::ffff:0:0/96', () => {
    for (const range of ['::/0', '::ffff:0:0/96']) {
      const policy: OutboundPolicy = { allowPrivate: false, allowList: [range] };
      expect(isAllowedAddress('10.0.0.1', 'x', policy)).toBe(false);
      expect(isAllowedAddress('::ffff:10.0.0.1', 'x', policy)).toBe(true);
    }
  });

  it('allows hostnames exactly and case-insensitively, not their subdomains or lookalikes', () => {
    const policy: OutboundPolicy = { allowPrivate: false, allowList: ['BTCPay.Internal'] };
    expect(isAllowedAddress('10.0.0.5', 'btcpay.internal', policy)).toBe(true);
    expect(isAllowedAddress('10.0.0.5', 'BTCPAY.INTERNAL.', policy)).toBe(true);
    expect(isAllowedAddress('10.0.0.5', 'evil.btcpay.internal', policy)).toBe(false);
    expect(isAllowedAddress('10.0.0.5', 'btcpay.internal.evil.com', policy)).toBe(false);
    expect(isAllowedAddress('10.0.0.5', 'other', policy)).toBe(false);
  });

  it('ignores malformed allow-list entries instead of widening the policy; validateAllowList names them', () => {
    const policy: OutboundPolicy = { allowPrivate: false, allowList: ['10.0.0.0/33', '0.0.0.0/x', '', 'http://10.0.0.1/'] };
    expect(isAllowedAddress('10.0.0.1', 'h', policy)).toBe(false);
    expect(() => validateAllowList(['10.0.0.0/33'])).toThrow(/10\.0\.0\.0\/33/);
    expect(() => validateAllowList(['http://x/'])).toThrow(/invalid outbound allow-list entry/);
    expect(() => validateAllowList(['10.0.0.0/8', 'fd00::/8', 'btcpay.lan', '127.0.0.1', '::1'])).not.toThrow();
  });

  it('sees changes to the allow-list array', () => {
    const policy: OutboundPolicy = { allowPrivate: false, allowList: [] };
    expect(isAllowedAddress('10.0.0.1', 'h', policy)).toBe(false);
    policy.allowList.push('10.0.0.0/8');
    expect(isAllowedAddress('10.0.0.1', 'h', policy)).toBe(true);
  });
});

describe('OutboundAddressError', () => {
  it('carries code, host, address and reason', () => {
    const err = new OutboundAddressError('example.test', '10.0.0.1', 'private');
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('outbound_address_forbidden');
    expect(err.name).toBe('OutboundAddressError');
    expect([err.host, err.address, err.reason]).toEqual(['example.test', '10.0.0.1', 'private']);
    expect(err.message).toContain('example.test');
    expect(err.message).toContain('private');
  });
});

type LookupResult = { err: NodeJS.ErrnoException | null; address?: unknown; family?: number };

function callLookup(lookup: ReturnType<typeof guardedLookup>, host: string, options: dns.LookupOptions): Promise<LookupResult> {
  return new Promise((resolve) => {
    lookup(host, options, (err, address, family) => resolve({ err, address, family }));
  });
}

/** A stand-in for dns.lookup answering from a table that the test can change between calls. */
function fakeDns(table: Record<string, string[]>) {
  return (hostname: string, _options: dns.LookupAllOptions, cb: (err: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void) => {
    const answers = table[hostname];
    setImmediate(() => {
      if (!answers) {
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        err.code = 'ENOTFOUND';
        cb(err, []);
        return;
      }
      cb(
        null,
        answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
    });
  };
}

describe('guardedLookup', () => {
  it('refuses localhost (resolves to loopback), with options.all true and false', async () => {
    const lookup = guardedLookup(strict);
    for (const all of [true, false]) {
      const { err } = await callLookup(lookup, 'localhost', { all });
      expect(err).toBeInstanceOf(OutboundAddressError);
      expect((err as OutboundAddressError).host).toBe('localhost');
      expect(classifyAddress((err as OutboundAddressError).address).forbidden).toBe(true);
    }
  });

  it('refuses forbidden IP literals and passes public ones through', async () => {
    const lookup = guardedLookup(strict);
    expect((await callLookup(lookup, '169.254.169.254', {})).err).toBeInstanceOf(OutboundAddressError);
    expect((await callLookup(lookup, '::ffff:127.0.0.1', {})).err).toBeInstanceOf(OutboundAddressError);
    expect(await callLookup(lookup, '8.8.8.8', {})).toEqual({ err: null, address: '8.8.8.8', family: 4 });
    expect(await callLookup(lookup, '8.8.8.8', { all: true })).toEqual({ err: null, address: [{ address: '8.8.8.8', family: 4 }], family: undefined });
  });

  it('answers like dns.lookup when allowed (allowPrivate, or a hostname allow-list entry)', async () => {
    for (const policy of [open, { allowPrivate: false, allowList: ['LOCALHOST'] }]) {
      const lookup = guardedLookup(policy);
      const one = await callLookup(lookup, 'localhost', {});
      expect(one.err).toBeNull();
      expect(typeof one.address).toBe('string');
      expect([4, 6]).toContain(one.family);
      const all = await callLookup(lookup, 'localhost', { all: true });
      expect(all.err).toBeNull();
      expect(Array.isArray(all.address)).toBe(true);
      expect((all.address as dns.LookupAddress[]).length).toBeGreaterThan(0);
    }
  });

  it('refuses a name if ANY of its addresses is forbidden', async () => {
    const lookup = guardedLookup(strict, fakeDns({ 'mixed.test': ['8.8.8.8', '10.0.0.7'], 'v6.test': ['2001:4860:4860::8888', 'fd00:ec2::254'] }));
    const mixed = await callLookup(lookup, 'mixed.test', { all: true });
    expect(mixed.err).toBeInstanceOf(OutboundAddressError);
    expect((mixed.err as OutboundAddressError).address).toBe('10.0.0.7');
    expect((mixed.err as OutboundAddressError).reason).toBe('private');
    const v6 = await callLookup(lookup, 'v6.test', {});
    expect((v6.err as OutboundAddressError).reason).toBe('metadata');
  });

  it('defeats DNS rebinding: each connection is checked on what the name resolves to then', async () => {
    const table: Record<string, string[]> = { 'rebind.test': ['93.184.216.34'] };
    const lookup = guardedLookup(strict, fakeDns(table));
    expect(await callLookup(lookup, 'rebind.test', {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    table['rebind.test'] = ['169.254.169.254'];
    const second = await callLookup(lookup, 'rebind.test', {});
    expect(second.err).toBeInstanceOf(OutboundAddressError);
    expect((second.err as OutboundAddressError).reason).toBe('metadata');
    table['rebind.test'] = ['::ffff:192.168.0.1'];
    expect(((await callLookup(lookup, 'rebind.test', { all: true })).err as OutboundAddressError).reason).toBe('ipv4Mapped:private');
  });

  it('passes resolver errors through and refuses an empty answer', async () => {
    const lookup = guardedLookup(strict, fakeDns({ 'empty.test': [] }));
    expect((await callLookup(lookup, 'missing.test', {})).err?.code).toBe('ENOTFOUND');
    expect(((await callLookup(lookup, 'empty.test', {})).err as OutboundAddressError).reason).toBe('no_addresses');
  });

  it('also accepts the (hostname, callback) form', async () => {
    const lookup = guardedLookup(strict) as unknown as (h: string, cb: (err: Error | null) => void) => void;
    const err = await new Promise<Error | null>((resolve) => lookup('127.0.0.1', resolve));
    expect(err).toBeInstanceOf(OutboundAddressError);
  });
});

describe('assertUrlAllowedSync / assertUrlAllowed', () => {
  it.each(['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'data:text/plain,hi', 'ws://example.com/'])(
    'refuses the protocol of %s',
    (u) => {
      expect(() => assertUrlAllowedSync(new URL(u), open)).toThrow(OutboundAddressError);
      try {
        assertUrlAllowedSync(new URL(u), open);
      } catch (err) {
        expect((err as OutboundAddressError).reason).toBe('unsupported_protocol');
      }
    },
  );

  it('refuses credentials in the URL without repeating them in the message', () => {
    for (const u of ['https://user:s3cr3t@example.com/hook', 'https://user@example.com/', 'https://:pw@example.com/']) {
      let caught: unknown;
      try {
        assertUrlAllowedSync(new URL(u), open);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(OutboundAddressError);
      expect((caught as OutboundAddressError).reason).toBe('credentials_in_url');
      expect((caught as Error).message).not.toContain('s3cr3t');
    }
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.0.0.1:8080/x',
    'https://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    'http://2130706433/', // WHATWG URL → 127.0.0.1
    'http://0x7f.1/', // → 127.0.0.1
    'http://0177.0.0.1/', // → 127.0.0.1
    'http://127.1/',
  ])('refuses the forbidden IP literal in %s', (u) => {
    expect(() => assertUrlAllowedSync(new URL(u), strict)).toThrow(OutboundAddressError);
  });

  it('accepts public literals and (unresolved) hostnames; allow-list and allowPrivate lift literals', () => {
    expect(() => assertUrlAllowedSync(new URL('https://8.8.8.8/hook'), strict)).not.toThrow();
    expect(() => assertUrlAllowedSync(new URL('https://[2001:4860:4860::8888]/hook'), strict)).not.toThrow();
    expect(() => assertUrlAllowedSync(new URL('https://hooks.example.com/x'), strict)).not.toThrow();
    expect(() => assertUrlAllowedSync(new URL('http://127.0.0.1:3000/'), open)).not.toThrow();
    expect(() => assertUrlAllowedSync(new URL('http://10.1.2.3/'), { allowPrivate: false, allowList: ['10.0.0.0/8'] })).not.toThrow();
    expect(() => assertUrlAllowedSync(new URL('http://[::1]/'), { allowPrivate: false, allowList: ['::1/128'] })).not.toThrow();
  });

  it('assertUrlAllowed resolves hostnames now: localhost is refused', async () => {
    await expect(assertUrlAllowed(new URL('http://localhost/'), strict)).rejects.toBeInstanceOf(OutboundAddressError);
    await expect(assertUrlAllowed(new URL('http://LOCALHOST.:8080/hook'), strict)).rejects.toMatchObject({
      code: 'outbound_address_forbidden',
      host: 'localhost.',
    });
    await expect(assertUrlAllowed(new URL('http://127.0.0.1/'), strict)).rejects.toBeInstanceOf(OutboundAddressError);
    await expect(assertUrlAllowed(new URL('ftp://localhost/'), open)).rejects.toMatchObject({ reason: 'unsupported_protocol' });
  });

  it('assertUrlAllowed accepts public literals, allowPrivate and allow-listed hosts', async () => {
    await expect(assertUrlAllowed(new URL('https://8.8.8.8/'), strict)).resolves.toBeUndefined();
    await expect(assertUrlAllowed(new URL('http://localhost/'), open)).resolves.toBeUndefined();
    await expect(assertUrlAllowed(new URL('http://localhost/'), { allowPrivate: false, allowList: ['localhost'] })).resolves.toBeUndefined();
    await expect(
      assertUrlAllowed(new URL('http://localhost/'), { allowPrivate: false, allowList: ['127.0.0.0/8', '::1'] }),
    ).resolves.toBeUndefined();
  });
});

describe('connect-time guard against a real server on 127.0.0.1', () => {
  let server: http.Server;
  let port: number;
  let requests = 0;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const forbiddenUrls = () => [`http://localhost:${port}/`, `http://127.0.0.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`];

  it('undici request through the guarded dispatcher is refused before connecting', async () => {
    const dispatcher = createGuardedDispatcher(strict);
    try {
      for (const url of forbiddenUrls()) {
        const before = { requests, connections };
        const err = await request(url, { dispatcher }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, url).toBeInstanceOf(OutboundAddressError);
        expect((err as OutboundAddressError).code).toBe('outbound_address_forbidden');
        expect({ requests, connections }).toEqual(before);
      }
      expect(requests).toBe(0);
      expect(connections).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('undici fetch through the guarded dispatcher fails with the guard error as cause', async () => {
    const dispatcher = createGuardedDispatcher(strict);
    try {
      const before = { requests, connections };
      const err = await undiciFetch(`http://localhost:${port}/`, { dispatcher }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TypeError);
      expect((err as TypeError).cause).toBeInstanceOf(OutboundAddressError);
      expect({ requests, connections }).toEqual(before);
    } finally {
      await dispatcher.close();
    }
  });

  it('allowPrivate: true lets every form through (200)', async () => {
    const dispatcher = createGuardedDispatcher(open, { connectTimeoutMs: 5_000 });
    try {
      for (const url of forbiddenUrls()) {
        const res = await request(url, { dispatcher });
        expect(res.statusCode, url).toBe(200);
        expect(await res.body.text()).toBe('ok');
      }
    } finally {
      await dispatcher.close();
    }
  });

  it("allowList ['127.0.0.0/8'] lets 127.0.0.1 and ::ffff:127.0.0.1 through; other private ranges stay refused", async () => {
    const dispatcher = createGuardedDispatcher({ allowPrivate: false, allowList: ['127.0.0.0/8'] });
    try {
      for (const url of [`http://127.0.0.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
        const res = await request(url, { dispatcher });
        expect(res.statusCode, url).toBe(200);
        await res.body.text();
      }
      const err = await request(`http://[::1]:${port}/`, { dispatcher }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OutboundAddressError);
    } finally {
      await dispatcher.close();
    }
  });

  it("allowList ['localhost'] lets the name through", async () => {
    const dispatcher = createGuardedDispatcher({ allowPrivate: false, allowList: ['localhost'] });
    try {
      const res = await request(`http://localhost:${port}/`, { dispatcher });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    } finally {
      await dispatcher.close();
    }
  });
});

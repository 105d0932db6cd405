import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccountContext, InboundWebhookRequest, VerificationResult } from '../types.js';
import { headerOf } from './headers.js';
import { addressInList } from '../../security/address-list.js';

/**
 * How one upstream signs its webhooks, as data: every connector fills this in and gets the same
 * checks in the same order — source address, presence, format, HMAC-SHA256 compared in constant
 * time, then the timestamp window.
 */
export interface HmacWebhookScheme<A extends AccountContext = AccountContext> {
  /** The header carrying the signature (any capitalisation). */
  signatureHeader: string;
  /** The HMAC key for this account: a secret as is, or derived from one (Crypto Pay: SHA-256 of the token). */
  key(account: A): string | Buffer;
  /** The exact bytes signed; `timestamp` is the timestamp header's value where the scheme has one. */
  message(request: InboundWebhookRequest, timestamp: string | undefined): Array<string | Buffer>;
  /** How the digest is written in the header. */
  encoding: 'hex' | 'base64';
  /** Text before the digest, e.g. `sha256=`. */
  prefix?: string;
  timestamp?: {
    header: string;
    /** The header's value as epoch milliseconds, or undefined when it cannot be read. */
    toMs(value: string): number | undefined;
    /** How far from our clock a webhook may be sent; undefined: not checked for this account. */
    toleranceMs(account: A): number | undefined;
  };
  /** Source addresses (IPs or CIDR ranges) this account's webhooks may come from; undefined: any. */
  allowedSources?(account: A): string[] | undefined;
}

const DIGEST_FORMAT = { hex: /^[0-9a-fA-F]{64}$/, base64: /^[A-Za-z0-9+/]{43}=$/ } as const;

/** Compares two digests without leaking where they differ. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hmacSha256(key: string | Buffer, parts: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', key);
  for (const p of parts) mac.update(p);
  return mac.digest();
}

/** The header value an upstream following `scheme` sends for this message (emulators and tests sign with it too). */
export function signWith(scheme: Pick<HmacWebhookScheme, 'encoding' | 'prefix'>, key: string | Buffer, parts: Array<string | Buffer>): string {
  return `${scheme.prefix ?? ''}${hmacSha256(key, parts).toString(scheme.encoding)}`;
}

/** The HMAC key of upstreams that key webhooks with an app token's digest: the raw 32 bytes of SHA-256(UTF-8 token). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * The construction Crypto Pay and xRocket share: the header carries the lowercase hex
 * HMAC-SHA256 of the raw body, keyed with `tokenDigest` of the app's API token. Nothing else is
 * signed, so there is no timestamp to check; `allowedSources` may narrow where webhooks come from.
 */
export function tokenDigestScheme<A extends AccountContext>(
  signatureHeader: string,
  token: (account: A) => string,
  options: Pick<HmacWebhookScheme<A>, 'allowedSources'> = {},
): HmacWebhookScheme<A> {
  return { signatureHeader, key: (account) => tokenDigest(token(account)), message: (request) => [request.rawBody], encoding: 'hex', ...options };
}

/** The header value an upstream using `tokenDigestScheme` sends for this body (emulators and tests sign with it). */
export function tokenDigestSignature(token: string, rawBody: Buffer): string {
  return hmacSha256(tokenDigest(token), [rawBody]).toString('hex');
}

export function verifyHmacWebhook<A extends AccountContext>(scheme: HmacWebhookScheme<A>, account: A, request: InboundWebhookRequest): VerificationResult {
  const sources = scheme.allowedSources?.(account);
  if (sources && !addressInList(request.sourceAddress, sources)) return { ok: false, reason: 'source_not_allowed' };

  const header = headerOf(request.headers, scheme.signatureHeader)?.trim();
  const timestamp = scheme.timestamp ? headerOf(request.headers, scheme.timestamp.header)?.trim() : undefined;
  if (!header || (scheme.timestamp && !timestamp)) return { ok: false, reason: 'missing_signature' };

  const prefix = scheme.prefix ?? '';
  if (!header.toLowerCase().startsWith(prefix.toLowerCase())) return { ok: false, reason: 'malformed' };
  const digest = header.slice(prefix.length);
  if (!DIGEST_FORMAT[scheme.encoding].test(digest)) return { ok: false, reason: 'malformed' };

  const expected = hmacSha256(scheme.key(account), scheme.message(request, timestamp));
  if (!digestsEqual(Buffer.from(digest, scheme.encoding), expected)) return { ok: false, reason: 'bad_signature' };

  const tolerance = scheme.timestamp?.toleranceMs(account);
  if (scheme.timestamp && tolerance !== undefined) {
    const sentAt = scheme.timestamp.toMs(timestamp!);
    if (sentAt === undefined) return { ok: false, reason: 'malformed' };
    if (Math.abs(request.receivedAt.getTime() - sentAt) > tolerance) return { ok: false, reason: 'stale' };
  }
  return { ok: true };
}

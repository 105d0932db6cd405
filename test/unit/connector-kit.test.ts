import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkSettings,
  classifyFailure,
  createApiClient,
  createUpstreamHttp,
  exactNumbersOut,
  failureKindForStatus,
  isJsonNumber,
  jsonNumber,
  losslessJson,
  parseWebhookBody,
  signWith,
  tokenDigestScheme,
  tokenDigestSignature,
  upstreamAmount,
  upstreamId,
  verifyHmacWebhook,
  WebhookBodyError,
  type HmacWebhookScheme,
  type UpstreamHttp,
} from '../../src/connectors/kit/index.js';
import type { UpstreamRequest } from '../../src/connectors/kit/http.js';
import { cryptoPayVector } from '../vectors/index.js';
import type { AccountContext, ConnectorManifest, InboundWebhookRequest } from '../../src/connectors/types.js';
import { CONNECTOR_IDS } from '../../src/connectors/connector-ids.js';
import { loadOpenApiDocument } from '../../src/http/openapi.js';

describe('one table classifies every upstream failure', () => {
  it.each([
    [400, 'decline'],
    [404, 'decline'],
    [409, 'decline'],
    [422, 'decline'],
    [401, 'fatal'],
    [403, 'fatal'],
    [302, 'fatal'],
    [408, 'retryable'],
    [425, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [200, 'decline'],
  ] as const)('HTTP %i is %s', (status, kind) => {
    expect(failureKindForStatus(status)).toBe(kind);
  });

  it('a connector code table wins over the status, and the code is kept for the tenant', () => {
    const e = classifyFailure({ status: 200, code: 'ACCESS_DENIED', message: 'x', codes: { ACCESS_DENIED: 'fatal' } });
    expect(e).toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'ACCESS_DENIED' });
    expect(classifyFailure({ status: 503, message: 'x' })).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'HTTP_503' });
    expect(classifyFailure({ status: 400, code: 'AMOUNT_TOO_SMALL', message: 'x' })).toMatchObject({ kind: 'decline', retryable: false });
  });
});

describe('the webhook verification template', () => {
  const secret = 'whsec-of-the-account';
  const account: AccountContext = { accountId: 'ga_1', livemode: false, credentials: { secret }, config: {}, webhookUrl: 'http://x/hooks' };
  const scheme: HmacWebhookScheme = {
    signatureHeader: 'X-Signature',
    key: (a) => createHash('sha256').update(a.credentials.secret!).digest(),
    message: (req, ts) => [`${ts}.`, req.rawBody],
    encoding: 'base64',
    prefix: 'v1=',
    timestamp: { header: 'X-Timestamp', toMs: (v) => (/^\d+$/.test(v) ? Number(v) * 1000 : undefined), toleranceMs: () => 300_000 },
    allowedSources: (a) => (a.config.only as string[] | undefined) ?? undefined,
  };
  const now = new Date('2026-11-30T12:00:00Z');
  const body = Buffer.from('{"paid":"10.00"}');
  const ts = String(now.getTime() / 1000);
  const genuine = signWith(scheme, scheme.key(account), [`${ts}.`, body]);
  const request = (headers: Record<string, string>, rawBody = body, receivedAt = now, sourceAddress = '203.0.113.7'): InboundWebhookRequest => ({
    method: 'POST',
    publicPath: '/hooks/x/ga_1',
    headers,
    rawBody,
    sourceAddress,
    receivedAt,
  });
  const verify = (req: InboundWebhookRequest, a = account) => verifyHmacWebhook(scheme, a, req);

  it('accepts a genuine signature, whatever the header case', () => {
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }))).toEqual({ ok: true });
    expect(verify(request({ 'X-SIGNATURE': genuine, 'X-Timestamp': ts }))).toEqual({ ok: true });
  });
  it('refuses a forged one (signed with another key)', () => {
    const forged = signWith(scheme, 'another key', [`${ts}.`, body]);
    expect(verify(request({ 'x-signature': forged, 'x-timestamp': ts }))).toEqual({ ok: false, reason: 'bad_signature' });
  });
  it('refuses a missing signature or timestamp', () => {
    expect(verify(request({ 'x-timestamp': ts }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verify(request({ 'x-signature': genuine }))).toEqual({ ok: false, reason: 'missing_signature' });
  });
  it('refuses a tampered body', () => {
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }, Buffer.from('{"paid":"99.00"}')))).toEqual({ ok: false, reason: 'bad_signature' });
  });
  it('refuses a stale timestamp, either direction, after the signature checks out', () => {
    const late = new Date(now.getTime() + 301_000);
    const early = new Date(now.getTime() - 301_000);
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }, body, late))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }, body, early))).toEqual({ ok: false, reason: 'stale' });
  });
  it('refuses a signature in the wrong format or without its prefix', () => {
    expect(verify(request({ 'x-signature': genuine.slice(3), 'x-timestamp': ts }))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(request({ 'x-signature': 'v1=not-base64!', 'x-timestamp': ts }))).toEqual({ ok: false, reason: 'malformed' });
  });
  it('refuses a source outside the account allow-list before anything else', () => {
    const restricted = { ...account, config: { only: ['198.51.100.0/24'] } };
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }), restricted)).toEqual({ ok: false, reason: 'source_not_allowed' });
    expect(verify(request({ 'x-signature': genuine, 'x-timestamp': ts }, body, now, '198.51.100.9'), restricted)).toEqual({ ok: true });
  });
});

describe('account settings are checked against the manifest in one place', () => {
  const manifest = {
    id: 'cryptopay',
    name: 'Example Pay',
    credentialFields: [{ name: 'token', secret: true, description: '' }],
    configFields: [{ name: 'base_url', description: '', required: false }],
  } as unknown as ConnectorManifest;
  it('names a key the connector does not declare, and what it takes', () => {
    const errors = checkSettings(manifest, 'config', z.object({ base_url: z.string().optional() }), { speed_policy: 'HighSpeed' });
    expect(errors).toEqual([{ field: '/config/speed_policy', message: 'is not a Example Pay setting; it takes base_url' }]);
  });
  it('checks values with the schema, naming the field', () => {
    const errors = checkSettings(manifest, 'credentials', z.object({ token: z.string().min(5, 'too short') }), { token: 'abc' });
    expect(errors).toEqual([{ field: '/credentials/token', message: 'too short' }]);
  });
});

describe('amounts from JSON numbers', () => {
  it.each([
    [10.5, '10.5'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    [123456789.123456, '123456789.123456'],
    ['12.50', '12.50'],
  ] as const)('%s → %s, never through exponent notation', (input, out) => {
    expect(upstreamAmount.parse(input)).toBe(out);
  });
  it('refuses what is not a decimal', () => {
    expect(upstreamAmount.safeParse('ten').success).toBe(false);
    expect(upstreamAmount.safeParse(Number.NaN).success).toBe(false);
  });
  it.each([
    ['123456.123456789', '123456.123456789'],
    ['0.000000001', '0.000000001'],
    ['12345678901234567.123456789', '12345678901234567.123456789'], // 26 significant digits: no double holds it
    ['9007199254740993', '9007199254740993'], // 2^53 + 1
    ['2.50', '2.50'],
    ['1e-9', '0.000000001'],
    ['1.5E+3', '1500'],
  ])('the JSON number %s (read losslessly) → %s, exactly', (literal, out) => {
    const parsed = losslessJson.parse(`{"amount":${literal}}`) as { amount: unknown };
    expect(isJsonNumber(parsed.amount)).toBe(true);
    expect(upstreamAmount.parse(parsed.amount)).toBe(out);
  });
  it('refuses a JSON number whose exponent would write out to a huge string', () => {
    expect(upstreamAmount.safeParse(losslessJson.parse('1e400')).success).toBe(false);
  });
  it('upstreamId takes a JSON number of any length as its digits, and no fractions', () => {
    expect(upstreamId.parse(losslessJson.parse('3690770'))).toBe('3690770');
    expect(upstreamId.parse(losslessJson.parse('123456789012345678901'))).toBe('123456789012345678901');
    expect(upstreamId.safeParse(losslessJson.parse('1.5')).success).toBe(false);
    expect(upstreamId.parse('3690770')).toBe('3690770');
  });
});

describe('lossless JSON (for upstreams whose amounts are JSON numbers)', () => {
  it('keeps every number as its exact text and writes it back byte for byte', () => {
    const text = '{"id":3690770,"amount":123456.123456789,"tiny":0.000000001,"big":12345678901234567.123456789,"list":[1,2.50],"s":"x","n":null,"b":true}';
    const value = losslessJson.parse(text) as Record<string, unknown>;
    expect((value.tiny as { value: string }).value).toBe('0.000000001');
    expect(losslessJson.stringify(value)).toBe(text);
    // What JSON.parse would have made of it:
    expect(JSON.stringify(JSON.parse(text))).not.toBe(text);
  });
  it('jsonNumber writes a decimal string as the same JSON number literal, never through a JS number', () => {
    const body = losslessJson.stringify({ amount: jsonNumber('12345678901234567.123456789'), tiny: jsonNumber('0.000000001'), n: 1, s: 'TONCOIN' });
    expect(body).toBe('{"amount":12345678901234567.123456789,"tiny":0.000000001,"n":1,"s":"TONCOIN"}');
  });
  it.each(['1e3', '01', '+1', ' 1', '.5', '1.', ''])('jsonNumber refuses %j (not a plain decimal)', (bad) => {
    expect(() => jsonNumber(bad)).toThrow(TypeError);
  });
  it('refuses duplicate keys rather than picking one silently', () => {
    expect(() => losslessJson.parse('{"a":1,"a":2}')).toThrow();
  });
});

describe('the API client reads and writes JSON with the connector’s codec', () => {
  const answer = '{"success":true,"data":{"id":7,"amount":12345678901234567.123456789}}';
  function fakeHttp() {
    const sent: UpstreamRequest[] = [];
    const http: UpstreamHttp = {
      send: async (req) => {
        sent.push(req);
        return { status: 201, text: answer, json: JSON.parse(answer) as unknown };
      },
    };
    return { http, sent };
  }
  const spec = {
    name: 'Example',
    baseUrl: () => 'https://upstream.example',
    headers: () => ({}),
    unwrap: (res: { json: unknown }) => ({ data: (res.json as { data: unknown }).data }),
  };
  const schema = z.object({ id: upstreamId, amount: upstreamAmount });

  it('losslessJson: the body carries the exact literal and the answer’s numbers arrive as their text', async () => {
    const { http, sent } = fakeHttp();
    const call = createApiClient(http, { ...spec, json: losslessJson });
    const got = await call({}, { method: 'POST', path: '/invoices', body: { amount: jsonNumber('0.000000001'), count: 1 }, answer: schema });
    expect(sent[0]!.body).toBe('{"amount":0.000000001,"count":1}');
    expect(got).toEqual({ id: '7', amount: '12345678901234567.123456789' });
  });

  it('by default it is plain JSON, as before (a double loses digits)', async () => {
    const { http, sent } = fakeHttp();
    const call = createApiClient(http, spec);
    const got = await call({}, { method: 'POST', path: '/invoices', body: { amount: '1.50' }, answer: schema });
    expect(sent[0]!.body).toBe('{"amount":"1.50"}');
    expect(got.amount).not.toBe('12345678901234567.123456789');
  });

  it('parseWebhookBody reads with the codec it is given', () => {
    const raw = Buffer.from('{"amount":0.3,"big":12345678901234567.123456789}');
    const body = z.object({ amount: upstreamAmount, big: upstreamAmount });
    expect(parseWebhookBody(body, raw, losslessJson)).toEqual({ amount: '0.3', big: '12345678901234567.123456789' });
    expect(parseWebhookBody(body, raw).big).not.toBe('12345678901234567.123456789');
    expect(() => parseWebhookBody(body, Buffer.from('{"amount":'), losslessJson)).toThrow(WebhookBodyError);
  });
});

describe('the token-digest webhook scheme (Crypto Pay, xRocket)', () => {
  type TokenAccount = AccountContext & { credentials: { token: string } };
  const scheme = tokenDigestScheme<TokenAccount>('X-Upstream-Signature', (a) => a.credentials.token);
  const account = (token: string): TokenAccount => ({ accountId: 'ga_1', livemode: false, credentials: { token }, config: {}, webhookUrl: 'http://x/hooks' });
  const request = (rawBody: Buffer, signature?: string): InboundWebhookRequest => ({
    method: 'POST',
    publicPath: '/hooks/x/ga_1',
    headers: signature === undefined ? {} : { 'x-upstream-signature': signature },
    rawBody,
    sourceAddress: '203.0.113.7',
    receivedAt: new Date(),
  });

  it('is hex HMAC-SHA256 of the raw body keyed with SHA-256 of the token: Crypto Pay’s vector verifies', () => {
    const { body, token, signature } = cryptoPayVector;
    expect(tokenDigestSignature(token, body)).toBe(signature);
    expect(verifyHmacWebhook(scheme, account(token), request(body, signature))).toEqual({ ok: true });
    expect(verifyHmacWebhook(scheme, account(token), request(body, signature.toUpperCase()))).toEqual({ ok: true });
  });
  it('refuses another token, a missing signature and a changed body', () => {
    const { body, token, signature } = cryptoPayVector;
    expect(verifyHmacWebhook(scheme, account(`${token}x`), request(body, signature))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyHmacWebhook(scheme, account(token), request(body))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyHmacWebhook(scheme, account(token), request(Buffer.concat([body, Buffer.from(' ')]), signature))).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('exactNumbersOut: amounts written as exact JSON numbers, answers read as plain JSON', () => {
  it('writes each jsonNumber with exactly its digits, where a JS number would round or reformat it', () => {
    const body = { out: false, amount: jsonNumber('12345678901234567.89'), fee: jsonNumber('12.50'), nested: [{ sats: jsonNumber('100000') }], memo: 'x' };
    expect(exactNumbersOut.stringify(body)).toBe('{"out":false,"amount":12345678901234567.89,"fee":12.50,"nested":[{"sats":100000}],"memo":"x"}');
    expect(JSON.stringify({ amount: 12345678901234567.89 })).not.toContain('12345678901234567.89');
  });

  it('bodies without them are written as JSON.stringify writes them; answers parse to ordinary numbers', () => {
    expect(exactNumbersOut.stringify({ a: 'b', n: 1, memo: 'abc:12.5' })).toBe(JSON.stringify({ a: 'b', n: 1, memo: 'abc:12.5' }));
    expect(exactNumbersOut.parse('{"amount":21000}')).toEqual({ amount: 21000 });
  });
});

describe('long calls', () => {
  /** A server that never answers, and counts the requests it holds. */
  async function silent() {
    const held = new Set<http.ServerResponse>();
    const server = http.createServer((_req, res) => {
      held.add(res);
      res.on('close', () => held.delete(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wait`,
      held: () => held.size,
      stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    };
  }

  it('a call held open ends when its signal aborts, as a retryable failure, and the connection is dropped', async () => {
    const server = await silent();
    const dispatcher = new Agent();
    try {
      const stop = new AbortController();
      const call = createUpstreamHttp(dispatcher).send({ method: 'POST', url: server.url, body: '{}', timeoutMs: 60_000, signal: stop.signal });
      await expect.poll(() => server.held()).toBe(1);
      stop.abort();
      await expect(call).rejects.toMatchObject({ name: 'UpstreamError', kind: 'integration', retryable: true });
      await expect.poll(() => server.held()).toBe(0);
    } finally {
      await dispatcher.close();
      await server.stop();
    }
  });

  it('its own timeout still applies alongside the signal', async () => {
    const server = await silent();
    const dispatcher = new Agent();
    try {
      const call = createUpstreamHttp(dispatcher).send({ method: 'POST', url: server.url, timeoutMs: 100, signal: new AbortController().signal });
      await expect(call).rejects.toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'timeout' });
    } finally {
      await dispatcher.close();
      await server.stop();
    }
  });
});

describe('connector ids are defined once', () => {
  it('the OpenAPI ConnectorId enum lists exactly the connectors of this build', () => {
    const doc = loadOpenApiDocument() as unknown as { components: { schemas: { ConnectorId: { enum: string[] } } } };
    expect([...doc.components.schemas.ConnectorId.enum].sort()).toEqual([...CONNECTOR_IDS].sort());
  });
});

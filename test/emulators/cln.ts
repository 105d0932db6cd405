/**
 * Loopback emulator of a Core Lightning node behind its `clnrest` plugin (v23.08 and later), after
 * the plugin's and lightningd's documented behaviour.
 *
 * Every RPC is `POST /v1/{method}` with a JSON object of named params; the `Rune` header (any
 * capitalisation) must carry a rune this node issued and has not revoked. A success is
 * `201 Created` with the bare RPC result; an error is `{code, message, data?}`: a missing rune
 * `403` (1501), an invalid one `401` (1502), an unknown method `404` (-32601), any other RPC error
 * `500` with lightningd's own code (900 duplicate label, 904 wait timed out, 905 unknown
 * invoice, 906 wrong status, -32602 bad params…). Amounts are msat JSON integers.
 *
 * Implemented methods: getinfo, invoice, listinvoices, waitanyinvoice (a real long poll: the
 * request is held until an invoice is paid after `lastpay_index`, or `timeout` seconds pass: 904)
 * and delinvoice. BOLT11 strings are real bech32 with the right prefix, amount and fields (see
 * cln-bolt11.ts), with a signature that is not a real one.
 *
 * Configurable where the upstream is uncertain: `requireNodeId` (clnrest v23.08 also wanted a
 * `Nodeid` header; 403 1501 without it, 401 1502 with another node's id; an assumption),
 * `errorData` (`data: null` written or left out of error bodies). `failNext` makes any call fail.
 * It counts waitanyinvoice calls in flight per rune (`activeWaits`, `peakWaits`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createFailureQueue, readBody, stopServer, type InvoiceLookup, type RecordedRequest, type UpstreamEmulator } from './emulator-kit.js';
import { encodeBolt11, type LightningNetwork } from './cln-bolt11.js';

export interface ClnInvoice {
  label: string;
  bolt11: string;
  payment_hash: string;
  payment_secret: string;
  preimage: string;
  /** null: an `any` amount invoice. */
  amount_msat: bigint | null;
  status: 'unpaid' | 'paid' | 'expired';
  description: string;
  expires_at: number;
  created_index: number;
  updated_index?: number;
  pay_index?: number;
  amount_received_msat?: bigint;
  paid_at?: number;
}

export interface ClnRequest extends RecordedRequest {
  rpcMethod: string;
  params: Record<string, unknown>;
  /** The Rune header as sent (undefined when absent). */
  rune: string | undefined;
}

export interface ClnFailure {
  status: number;
  /** The RPC code in the error body (null: the plugin's own failure); ignored with `raw`. */
  code?: number | null;
  message?: string;
  /** Answer with this non-JSON body instead (a proxy's error page). */
  raw?: string;
  times?: number;
}

export interface ClnEmulatorOptions {
  network?: LightningNetwork;
  alias?: string;
  /** clnrest v23.08: the Nodeid header is required too (assumption: 403 1501 when missing). */
  requireNodeId?: boolean;
  /** Error bodies with `"data": null` (default) or without `data` when there is none. */
  errorData?: 'null' | 'omit';
}

export interface ClnEmulator extends UpstreamEmulator {
  baseUrl: string;
  /** The node's id (a real compressed secp256k1 public key, hex). */
  nodeId: string;
  /** The rune in `account` (valid, unrestricted). */
  rune: string;
  requests: ClnRequest[];
  /** By label. */
  invoices: Map<string, ClnInvoice>;
  settings: Required<Pick<ClnEmulatorOptions, 'requireNodeId' | 'errorData'>>;
  /** Issues another valid rune (like `lightning-cli createrune`). */
  createRune(): string;
  /** Makes a rune invalid from now on (like `lightning-cli blacklistrune`). */
  revokeRune(rune: string): void;
  /** The payer pays (by default exactly the amount); assigns the next pay_index and wakes waiters. */
  pay(label: string, opts?: { amountMsat?: bigint }): ClnInvoice;
  /** The invoice's time runs out unpaid. */
  expire(label: string): ClnInvoice;
  /** waitanyinvoice calls in flight now, for one rune or all. */
  activeWaits(rune?: string): number;
  /** The most waitanyinvoice calls ever in flight at once, for one rune or in total. */
  peakWaits(rune?: string): number;
  /** The next call(s) of rpcMethod fail as given (after the rune check, like a real failure would). */
  failNext(rpcMethod: string, failure: ClnFailure): void;
}

class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const invalidParams = (message: string) => new RpcError(500, -32602, message);
const DEFAULT_EXPIRY = 604800;
const PARAMS: Record<string, string[]> = {
  getinfo: [],
  invoice: ['amount_msat', 'label', 'description', 'expiry', 'fallbacks', 'preimage', 'exposeprivatechannels', 'cltv', 'deschashonly'],
  listinvoices: ['label', 'invstring', 'payment_hash', 'offer_id', 'index', 'start', 'limit'],
  waitanyinvoice: ['lastpay_index', 'timeout'],
  delinvoice: ['label', 'status', 'desconly'],
};
/** Invoice keys in lightningd's order (json_add_invoice_fields). */
const ENTRY_KEYS = ['label', 'bolt11', 'payment_hash', 'amount_msat', 'status', 'pay_index', 'amount_received_msat', 'paid_at', 'payment_preimage', 'description', 'expires_at', 'created_index', 'updated_index'] as const;

const now = () => Math.floor(Date.now() / 1000);
const newRune = () => randomBytes(48).toString('base64url');

/** A u64 param: a JSON integer or a digit string, as lightningd's param_u64 takes it. */
function u64(params: Record<string, unknown>, name: string): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw invalidParams(`${name}: should be an unsigned 64 bit integer: invalid token '${JSON.stringify(v)}'`);
  return n;
}

function requiredString(params: Record<string, unknown>, name: string): string {
  const v = params[name];
  if (v === undefined) throw invalidParams(`missing required parameter: ${name}`);
  if (typeof v !== 'string') throw invalidParams(`${name}: should be a string: invalid token '${JSON.stringify(v)}'`);
  return v;
}

/** amount_msat: a positive msat integer, `"<n>msat"`, or `"any"`. */
function amountParam(params: Record<string, unknown>): bigint | null {
  const v = params.amount_msat;
  if (v === undefined) throw invalidParams('missing required parameter: amount_msat');
  if (v === 'any') return null;
  const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v.replace(/msat$/, '') : '';
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw invalidParams(`amount_msat: should be positive msat or 'any': invalid token '${JSON.stringify(v)}'`);
  return BigInt(text);
}

function labelParam(params: Record<string, unknown>): string {
  const v = params.label;
  if (v === undefined) throw invalidParams('missing required parameter: label');
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw invalidParams(`label: should be a string or a number: invalid token '${JSON.stringify(v)}'`);
  return v;
}

export async function startClnEmulator(opts: ClnEmulatorOptions = {}): Promise<ClnEmulator> {
  const network = opts.network ?? 'bitcoin';
  const settings = { requireNodeId: opts.requireNodeId ?? false, errorData: opts.errorData ?? 'null' } as ClnEmulator['settings'];
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  const payee = Buffer.concat([Buffer.from([y[y.length - 1]! % 2 === 0 ? 2 : 3]), x]);
  const nodeId = payee.toString('hex');

  const rune = newRune();
  const runes = new Set([rune]);
  const requests: ClnRequest[] = [];
  const invoices = new Map<string, ClnInvoice>();
  const failures = createFailureQueue<Omit<ClnFailure, 'times'>>();
  const active = new Map<string, number>();
  const peak = new Map<string, number>();
  let activeTotal = 0;
  let peakTotal = 0;
  let createdIndex = 0;
  let updatedIndex = 0;
  let lastPayIndex = 0;
  const waiters = new Set<{ after: number; answer: (inv: ClnInvoice) => void }>();

  /** Expiry happens as time passes: an unpaid invoice past expires_at reads as expired. */
  function refresh(inv: ClnInvoice): ClnInvoice {
    if (inv.status === 'unpaid' && inv.expires_at <= now()) {
      inv.status = 'expired';
      inv.updated_index = ++updatedIndex;
    }
    return inv;
  }

  function entry(inv: ClnInvoice): Record<string, unknown> {
    const src: Record<string, unknown> = {
      ...inv,
      amount_msat: inv.amount_msat === null ? undefined : Number(inv.amount_msat),
      amount_received_msat: inv.amount_received_msat === undefined ? undefined : Number(inv.amount_received_msat),
      payment_preimage: inv.status === 'paid' ? inv.preimage : undefined,
    };
    const out: Record<string, unknown> = {};
    for (const k of ENTRY_KEYS) if (src[k] !== undefined) out[k] = src[k];
    return out;
  }

  const nextPaidAfter = (after: number) =>
    [...invoices.values()].filter((i) => i.pay_index !== undefined && i.pay_index > after).sort((a, b) => a.pay_index! - b.pay_index!)[0];

  // ------------------------------------------------------------------------ RPC methods

  function createInvoice(p: Record<string, unknown>) {
    const amount = amountParam(p);
    const label = labelParam(p);
    const description = requiredString(p, 'description');
    const expiry = u64(p, 'expiry') ?? DEFAULT_EXPIRY;
    const bytes = Buffer.byteLength(description, 'utf8');
    if (bytes > 639 && p.deschashonly !== true) throw invalidParams(`Descriptions greater than 639 bytes not yet supported (description length ${bytes})`);
    if (invoices.has(label)) throw new RpcError(500, 900, `Duplicate label '${label}'`);
    let preimage: Buffer;
    if (p.preimage !== undefined) {
      if (typeof p.preimage !== 'string' || !/^[0-9a-f]{64}$/i.test(p.preimage)) throw invalidParams(`preimage: should be a 32 byte hex value: invalid token '${JSON.stringify(p.preimage)}'`);
      preimage = Buffer.from(p.preimage, 'hex');
    } else preimage = randomBytes(32);
    const paymentHash = createHash('sha256').update(preimage).digest();
    if ([...invoices.values()].some((i) => i.payment_hash === paymentHash.toString('hex'))) throw new RpcError(500, 901, 'preimage already used');
    const secret = randomBytes(32);
    const created = now();
    const inv: ClnInvoice = {
      label,
      bolt11: encodeBolt11({ network, amountMsat: amount, timestamp: created, paymentHash, paymentSecret: secret, description, expiry, payee, signature: randomBytes(65) }),
      payment_hash: paymentHash.toString('hex'),
      payment_secret: secret.toString('hex'),
      preimage: preimage.toString('hex'),
      amount_msat: amount,
      status: 'unpaid',
      description,
      expires_at: created + expiry,
      created_index: ++createdIndex,
    };
    invoices.set(label, inv);
    return { payment_hash: inv.payment_hash, expires_at: inv.expires_at, bolt11: inv.bolt11, payment_secret: inv.payment_secret, created_index: inv.created_index };
  }

  function listInvoices(p: Record<string, unknown>) {
    const label = p.label === undefined ? undefined : labelParam(p);
    const hash = p.payment_hash === undefined ? undefined : requiredString(p, 'payment_hash');
    const invstring = p.invstring === undefined ? undefined : requiredString(p, 'invstring');
    if ([label, hash, invstring, p.offer_id].filter((v) => v !== undefined).length > 1) throw invalidParams('Can only specify one of {label}, {invstring}, {payment_hash} or {offer_id}');
    const index = p.index === undefined ? undefined : requiredString(p, 'index');
    if (index !== undefined && index !== 'created' && index !== 'updated') throw invalidParams(`index: should be one of created, updated: invalid token '${index}'`);
    const start = u64(p, 'start');
    const limit = u64(p, 'limit');
    if ((start !== undefined || limit !== undefined) && index === undefined) throw invalidParams('Can only specify {start} or {limit} with {index}');
    let list = [...invoices.values()].map(refresh);
    if (label !== undefined) list = list.filter((i) => i.label === label);
    if (hash !== undefined) list = list.filter((i) => i.payment_hash === hash);
    if (invstring !== undefined) list = list.filter((i) => i.bolt11 === invstring);
    if (index === 'updated') list = list.filter((i) => i.updated_index !== undefined).sort((a, b) => a.updated_index! - b.updated_index!);
    else list.sort((a, b) => a.created_index - b.created_index);
    const key = index === 'updated' ? 'updated_index' : 'created_index';
    if (start !== undefined) list = list.filter((i) => (i[key] ?? 0) >= start);
    if (limit !== undefined) list = list.slice(0, limit);
    return { invoices: list.map(entry) };
  }

  function delInvoice(p: Record<string, unknown>) {
    const label = labelParam(p);
    const status = requiredString(p, 'status');
    const inv = invoices.get(label);
    if (!inv) throw new RpcError(500, 905, 'Unknown invoice');
    refresh(inv);
    if (inv.status !== status) {
      throw new RpcError(500, 906, `Invoice status is ${inv.status} not ${status}`, { current_status: inv.status, expected_status: status });
    }
    invoices.delete(label);
    return entry(inv);
  }

  function getinfo() {
    return {
      id: nodeId,
      alias: opts.alias ?? 'SWITCHYARD-EMULATOR',
      color: '02a1b2',
      num_peers: 3,
      num_pending_channels: 0,
      num_active_channels: 2,
      num_inactive_channels: 0,
      address: [],
      binding: [{ type: 'ipv4', address: '127.0.0.1', port: 9735 }],
      version: 'v24.08.2',
      blockheight: 860_000,
      network,
      fees_collected_msat: 0,
      'lightning-dir': `/home/lightning/.lightning/${network}`,
      our_features: { init: '08a0000a8a5961', node: '88a0000a8a5961', channel: '', invoice: '02000002024100' },
    };
  }

  /** Answers at once when a payment after lastpay_index exists; else holds the request. */
  function waitAnyInvoice(p: Record<string, unknown>, req: http.IncomingMessage, res: http.ServerResponse, runeUsed: string) {
    const after = u64(p, 'lastpay_index') ?? 0;
    const timeout = u64(p, 'timeout');
    active.set(runeUsed, (active.get(runeUsed) ?? 0) + 1);
    peak.set(runeUsed, Math.max(peak.get(runeUsed) ?? 0, active.get(runeUsed)!));
    peakTotal = Math.max(peakTotal, ++activeTotal);
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const waiter = { after, answer: (inv: ClnInvoice) => finish(() => sendJson(res, 201, entry(inv))) };
    function finish(respond: () => void) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      waiters.delete(waiter);
      active.set(runeUsed, active.get(runeUsed)! - 1);
      activeTotal--;
      respond();
    }
    // A client that goes away (aborted long poll, killed process) no longer counts.
    res.on('close', () => finish(() => undefined));
    const ready = nextPaidAfter(after);
    if (ready) return waiter.answer(ready);
    waiters.add(waiter);
    if (timeout !== undefined) timer = setTimeout(() => finish(() => sendError(res, new RpcError(500, 904, 'Timed out while waiting for invoice to be paid'))), timeout * 1000);
    void req;
  }

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = { getinfo, invoice: createInvoice, listinvoices: listInvoices, delinvoice: delInvoice };

  // ------------------------------------------------------------------------ server

  function sendJson(res: http.ServerResponse, status: number, value: unknown) {
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  }

  function sendError(res: http.ServerResponse, err: RpcError) {
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.data !== undefined) body.data = err.data;
    else if (settings.errorData === 'null') body.data = null;
    sendJson(res, err.status, body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/v1\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    const runeHeader = typeof req.headers.rune === 'string' ? req.headers.rune : undefined;
    const record: ClnRequest = {
      method: req.method ?? '',
      path: url.pathname,
      headers: { ...req.headers },
      authentic: runeHeader !== undefined && runes.has(runeHeader),
      rpcMethod: m?.[1] ?? '',
      params: {},
      rune: runeHeader,
    };
    requests.push(record);
    const raw = await readBody(req, () => new RpcError(413, null, 'Payload too large'));
    if (!m) return sendError(res, new RpcError(404, null, 'Not found'));
    if (req.method !== 'POST') return sendError(res, new RpcError(405, null, `Method not allowed: ${req.method}`));
    if (raw.length) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        return sendError(res, new RpcError(500, null, `Could not parse json request: ${(e as Error).message}`));
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return sendError(res, new RpcError(500, null, 'Request params must be a JSON object'));
      record.params = parsed as Record<string, unknown>;
    }
    if (runeHeader === undefined) return sendError(res, new RpcError(403, 1501, 'Not authorized: Missing rune'));
    if (!record.authentic) return sendError(res, new RpcError(401, 1502, 'Rune is not valid'));
    if (settings.requireNodeId) {
      const nodeHeader = req.headers.nodeid;
      if (nodeHeader === undefined) return sendError(res, new RpcError(403, 1501, 'Not authorized: Missing nodeid'));
      if (nodeHeader !== nodeId) return sendError(res, new RpcError(401, 1502, 'Rune is not valid'));
    }
    const rpcMethod = record.rpcMethod;
    if (!(rpcMethod in PARAMS)) return sendError(res, new RpcError(404, -32601, `Unknown command '${rpcMethod}'`));
    const failure = failures.take(rpcMethod);
    if (failure) {
      if (failure.raw !== undefined) return void res.writeHead(failure.status, { 'content-type': 'text/html' }).end(failure.raw);
      return sendError(res, new RpcError(failure.status, failure.code === undefined ? -1 : failure.code, failure.message ?? 'Injected failure'));
    }
    const unknown = Object.keys(record.params).find((k) => !PARAMS[rpcMethod]!.includes(k));
    try {
      if (unknown) throw invalidParams(`unknown parameter: ${unknown}, this may be caused by a failure to autodetect key=value-style parameters.`);
      if (rpcMethod === 'waitanyinvoice') return waitAnyInvoice(record.params, req, res, runeHeader);
      sendJson(res, 201, methods[rpcMethod]!(record.params));
    } catch (e) {
      if (e instanceof RpcError) return sendError(res, e);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof RpcError && !res.headersSent) return sendError(res, e);
      if (!res.headersSent) sendError(res, new RpcError(500, null, 'Internal error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  // ------------------------------------------------------------------------ test controls

  function mustGet(label: string): ClnInvoice {
    const inv = invoices.get(label);
    if (!inv) throw new Error(`no CLN invoice labelled ${label}`);
    return refresh(inv);
  }

  function pay(label: string, o: { amountMsat?: bigint } = {}): ClnInvoice {
    const inv = mustGet(label);
    if (inv.status !== 'unpaid') throw new Error(`CLN invoice ${label} is ${inv.status}, cannot be paid`);
    const amount = o.amountMsat ?? inv.amount_msat;
    if (amount === null) throw new Error(`CLN invoice ${label} takes any amount: say how much is paid`);
    // lightningd refuses less than the amount (and more than twice it) before marking it paid.
    if (inv.amount_msat !== null && (amount < inv.amount_msat || amount > inv.amount_msat * 2n)) throw new Error(`a payment of ${amount} msat does not pay ${inv.amount_msat} msat`);
    inv.status = 'paid';
    inv.pay_index = ++lastPayIndex;
    inv.amount_received_msat = amount;
    inv.paid_at = now();
    inv.updated_index = ++updatedIndex;
    for (const w of [...waiters]) {
      const next = nextPaidAfter(w.after);
      if (next) w.answer(next);
    }
    return inv;
  }

  function expire(label: string): ClnInvoice {
    const inv = mustGet(label);
    if (inv.status !== 'unpaid') throw new Error(`CLN invoice ${label} is ${inv.status}, cannot expire`);
    inv.expires_at = Math.min(inv.expires_at, now());
    return refresh(inv);
  }

  function findInvoice(by: InvoiceLookup) {
    // Switchyard's labels carry its invoice id (switchyard:<invoice id>:<random>): the newest wins.
    const inv =
      'invoiceId' in by
        ? [...invoices.values()].filter((i) => i.label.split(':').includes(by.invoiceId)).sort((a, b) => b.created_index - a.created_index)[0]
        : invoices.get(by.upstreamId);
    return inv && { upstreamId: inv.label, invoiceId: 'invoiceId' in by ? by.invoiceId : (inv.label.split(':')[1] ?? null) };
  }

  let refused: string;
  do refused = newRune();
  while (runes.has(refused));

  return {
    baseUrl,
    nodeId,
    rune,
    requests,
    invoices,
    settings,
    createRune() {
      const r = newRune();
      runes.add(r);
      return r;
    },
    revokeRune: (r) => void runes.delete(r),
    pay,
    expire,
    activeWaits: (r) => (r === undefined ? activeTotal : (active.get(r) ?? 0)),
    peakWaits: (r) => (r === undefined ? peakTotal : (peak.get(r) ?? 0)),
    failNext(rpcMethod, failure) {
      const { times, ...rest } = failure;
      failures.add(rpcMethod, rest, times ?? 1);
    },
    account: { credentials: { rune }, config: { base_url: baseUrl } },
    refusedCredentials: { rune: refused },
    findInvoice,
    payInFull: async (label) => void pay(label),
    expireUnpaid: async (label) => void expire(label),
    // Core Lightning sends no webhooks: Switchyard's worker long-polls waitanyinvoice instead.
    webhookVariants: [],
    sendInvoiceWebhook: () => Promise.reject(new Error('Core Lightning sends no webhooks; the worker long-polls waitanyinvoice')),
    stop: () => stopServer(server),
  };
}

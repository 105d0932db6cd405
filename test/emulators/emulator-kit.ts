/** Pieces every upstream emulator needs; each keeps its own protocol (envelopes, error shapes). */
import { request } from 'undici';

/** Injected failures per route, each used `times` times in order (`failNext` in every emulator). */
export function createFailureQueue<F>() {
  const queues = new Map<string, Array<{ failure: F; left: number }>>();
  return {
    add(key: string, failure: F, times = 1): void {
      queues.set(key, [...(queues.get(key) ?? []), { failure, left: times }]);
    },
    /** The failure to answer with now for `key`, if one is queued; uses one of its `times`. */
    take(key: string): F | undefined {
      const queue = queues.get(key);
      const head = queue?.[0];
      if (!queue || !head) return undefined;
      if (--head.left <= 0) queue.shift();
      return head.failure;
    },
    keys: (): string[] => [...queues.keys()],
  };
}

/** Change one byte while keeping JSON valid where possible: the first digit becomes another non-zero digit. */
export function tamperBytes(body: Buffer): Buffer {
  const out = Buffer.from(body);
  const i = out.findIndex((b) => b >= 0x30 && b <= 0x39);
  if (i >= 0) {
    const d = out[i]! - 0x30;
    out[i] = 0x30 + (d === 0 ? 1 : d === 9 ? 8 : d + 1);
  } else if (out.length > 0) {
    out[out.length - 1] = out[out.length - 1]! ^ 0x01;
  } else {
    return Buffer.from(' ');
  }
  return out;
}

/** Like the upstreams, refuse bodies over 1 MiB. */
export const MAX_BODY = 1024 * 1024;

/** The request body as bytes; over MAX_BODY, throws what `tooLarge` makes (each upstream's own error). */
export async function readBody(req: AsyncIterable<Buffer>, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/**
 * POSTs a webhook like an upstream: JSON, the signature headers (computed by the caller over the
 * genuine bytes) unless `unsigned`, and one byte changed after signing when `tamper`.
 */
export async function postSignedWebhook(
  url: string,
  body: Buffer,
  signatureHeaders: Record<string, string>,
  o: { tamper?: boolean; unsigned?: boolean } = {},
): Promise<{ status: number; body: string }> {
  const headers = { 'content-type': 'application/json', ...(o.unsigned ? {} : signatureHeaders) };
  const res = await request(url, { method: 'POST', headers, body: o.tamper ? tamperBytes(body) : body });
  return { status: res.statusCode, body: await res.body.text() };
}

// ---------------------------------------------------------------------------------------------
// The interface every emulator offers, so one conformance suite (test/helpers/connector-conformance.ts)
// and `npm run emulators` can drive any upstream the same way. Each emulator keeps its own richer API
// beside it (its own ids, options and webhook types).

/** A webhook as the upstream sends it (`genuine`), or one of the forgeries a verifier must refuse. */
export type WebhookVariant = 'genuine' | 'forged' | 'unsigned' | 'tampered' | 'stale';

/**
 * What each variant means: `forged` is signed with a key that is not the account's, `unsigned`
 * carries no signature, `tampered` has one byte changed after signing, `stale` is genuinely signed
 * over a timestamp an hour old (only upstreams that sign a timestamp can send one). An upstream that
 * signs nothing (LNbits) can only lie in the body: its `forged` claims a payment it has not seen.
 */
export const FORGERIES = ['forged', 'unsigned', 'tampered', 'stale'] as const satisfies readonly WebhookVariant[];

/** Where a webhook goes: `url` receives the bytes; `publicUrl` is the address the upstream was given (they differ behind a reverse proxy). */
export interface WebhookTarget {
  url: string;
  publicUrl?: string;
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** One request an emulator received, in the shape every emulator records (each adds its own details). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** It carried this emulator's genuine credentials, checked the way the upstream checks them. */
  authentic: boolean;
}

/** What POST /v1/gateway-accounts needs to reach an emulator. */
export interface AccountSettings {
  credentials: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** An upstream invoice, by the upstream's own id and the invoice id our connector sent with it. */
export interface EmulatedInvoice {
  upstreamId: string;
  invoiceId: string | null;
}

/** Find an upstream invoice by the invoice id our connector sent, or by what Switchyard shows as `gateway.upstream_id`. */
export type InvoiceLookup = { invoiceId: string } | { upstreamId: string };

export interface UpstreamEmulator {
  /** What a tenant puts in config.base_url. */
  readonly baseUrl: string;
  /** Credentials and config that connect a gateway account to this emulator. */
  readonly account: AccountSettings;
  /** Credentials of the right shape that this upstream refuses. */
  readonly refusedCredentials: Record<string, unknown>;
  /** Every request received, in order (refused ones included). */
  readonly requests: readonly RecordedRequest[];
  findInvoice(by: InvoiceLookup): EmulatedInvoice | undefined;
  /** The payer pays the invoice in full and the upstream counts it as paid; no webhook goes out. */
  payInFull(upstreamId: string): Promise<void>;
  /** The invoice's time runs out unpaid; no webhook goes out. Absent where the upstream has no expiry. */
  expireUnpaid?(upstreamId: string): Promise<void>;
  /**
   * The variants `sendInvoiceWebhook` can make (`stale` only where webhooks carry a signed timestamp).
   * Empty for an upstream that sends no webhooks (Core Lightning: Switchyard's worker long-polls it).
   */
  readonly webhookVariants: readonly WebhookVariant[];
  /** POSTs the webhook for the invoice's current state, genuine or forged as asked, and resolves with the answer; rejects where there are no webhooks. */
  sendInvoiceWebhook(upstreamId: string, to: WebhookTarget, variant?: WebhookVariant): Promise<WebhookAnswer>;
  stop(): Promise<void>;
}

/**
 * The switches a variant turns on in an emulator's own webhook sender (`stale` is each emulator's own
 * timestamp); a variant the emulator cannot send is a mistake in the test, so it throws.
 */
export function variantSwitches(variant: WebhookVariant, supported: readonly WebhookVariant[]): { forge?: true; unsigned?: true; tamper?: true } {
  if (!supported.includes(variant)) throw new Error(`this upstream cannot send a ${variant} webhook (it sends: ${supported.join(', ')})`);
  if (variant === 'forged') return { forge: true };
  if (variant === 'unsigned') return { unsigned: true };
  if (variant === 'tampered') return { tamper: true };
  return {};
}

/** Closes an emulator's HTTP server, cutting kept-alive connections first. */
export function stopServer(server: { closeAllConnections(): void; close(cb: (err?: Error) => void): unknown }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });
}

import { z } from 'zod';
import { apiBase, badResponse, createApiClient, defineConnector, UpstreamError, type Account, type UpstreamHttp } from '../kit/index.js';
import type { Connector, PaidAfter, UpstreamInvoice } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { btcToMsat } from './amounts.js';
import { newLabel } from './labels.js';
import { highestPayIndex } from './pay-index.js';
import {
  createdSchema,
  getinfoSchema,
  invoiceEntrySchema,
  listSchema,
  RPC,
  RPC_CODES,
  toCreatedInvoice,
  toInvoiceParams,
  toUpstreamInvoice,
  unwrapAnswer,
} from './transformers.js';

type ClnAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

export const DEFAULT_WAIT_TIMEOUT_SECONDS = 30;
/** The HTTP read timeout of a long poll is its RPC timeout plus this, so the node answers first (904). */
const WAIT_READ_MARGIN_MS = 15_000;
/** Status queries in flight at once per account (reconciliation asks many invoices, one label each). */
const QUERY_CONCURRENCY = 8;

const isCode = (err: unknown, code: string) => err instanceof UpstreamError && err.upstreamCode === code;

export function createClnConnector(deps: { http: UpstreamHttp }): Connector {
  // Every RPC is `POST {base_url}/v1/{method}` with its named params as a JSON object.
  const api = createApiClient<ClnAccount>(deps.http, {
    name: 'Core Lightning',
    baseUrl: (account) => `${apiBase(account.config, '')}/v1`,
    headers: (account) => ({ Rune: account.credentials.rune, ...(account.config.node_id ? { Nodeid: account.config.node_id } : {}) }),
    unwrap: unwrapAnswer,
    codes: RPC_CODES,
  });
  const rpc = <S extends z.ZodType>(account: ClnAccount, method: string, answer: S, params: Record<string, unknown> = {}, opts: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
    api(account, { method: 'POST', path: `/${method}`, body: params, answer, ...opts });

  /** The invoice under this label, or undefined when the node has none (never made, or deleted). */
  async function byLabel(account: ClnAccount, label: string): Promise<UpstreamInvoice | undefined> {
    const { invoices } = await rpc(account, 'listinvoices', listSchema, { label });
    const entry = invoices.find((i) => i.label === label);
    return entry && toUpstreamInvoice(entry);
  }

  /** waitanyinvoice: the first invoice paid after `lastPayIndex`; null when `timeout` seconds pass first (904). */
  async function waitAny(account: ClnAccount, lastPayIndex: number, timeout: number, signal?: AbortSignal) {
    try {
      return await rpc(account, 'waitanyinvoice', invoiceEntrySchema, { lastpay_index: lastPayIndex, timeout }, { timeoutMs: timeout * 1000 + WAIT_READ_MARGIN_MS, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (isCode(err, RPC.WAIT_TIMED_OUT)) return null;
      throw err;
    }
  }

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      // Any authenticated call proves the rune; getinfo is the one every rune guide allows.
      await rpc(account, 'getinfo', getinfoSchema);
    },
    async createInvoice(account, input) {
      const amountMsat = input.currency === 'BTC' ? btcToMsat(input.amount) : undefined;
      // Routing only sends BTC (manifest); JSON numbers carry msat exactly up to 2^53 (~90,000 BTC).
      if (amountMsat === undefined || amountMsat <= 0n || amountMsat > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new UpstreamError(`Core Lightning cannot invoice ${input.amount} ${input.currency}`, 'unsuitable', false, 'amount_not_invoiceable');
      }
      const label = newLabel(input.invoiceId);
      const created = await rpc(account, 'invoice', createdSchema, toInvoiceParams(input, label, amountMsat));
      return toCreatedInvoice(created, label, input.amount);
    },
    async getInvoice(account, label) {
      const found = await byLabel(account, label);
      if (!found) throw new UpstreamError(`Core Lightning has no invoice labelled ${label}`, 'decline', false, RPC.INVOICE_NOT_FOUND);
      return found;
    },
    // One label per listinvoices call; labels the node no longer has are left out.
    async getInvoices(account, labels) {
      const found: UpstreamInvoice[] = [];
      for (let i = 0; i < labels.length; i += QUERY_CONCURRENCY) {
        const answers = await Promise.all(labels.slice(i, i + QUERY_CONCURRENCY).map((label) => byLabel(account, label)));
        for (const a of answers) if (a) found.push(a);
      }
      return found;
    },
    async cancelInvoice(account, label) {
      try {
        // Only while unpaid: the node refuses (906) once a payment has landed.
        await rpc(account, 'delinvoice', z.unknown(), { label, status: 'unpaid' });
      } catch (err) {
        if (isCode(err, RPC.INVOICE_NOT_FOUND)) return; // already gone: nothing can pay it
        if (isCode(err, RPC.STATUS_UNEXPECTED) && (await byLabel(account, label))?.status === 'expired') return;
        throw err;
      }
    },
    paymentWaits: {
      latest: async (account, signal) => String(await highestPayIndex((after) => waitAny(account, after, 0, signal).then((e) => e?.pay_index ?? null))),
      async next(account, cursor, signal): Promise<PaidAfter | null> {
        const entry = await waitAny(account, Number(cursor), account.config.wait_timeout_seconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS, signal);
        if (!entry) return null;
        if (entry.pay_index === undefined || entry.pay_index <= Number(cursor)) throw badResponse(`Core Lightning waitanyinvoice after ${cursor} answered pay_index ${entry.pay_index}`);
        return { cursor: String(entry.pay_index), invoice: toUpstreamInvoice(entry) };
      },
    },
    webhooks: {
      // Core Lightning sends no webhooks: nothing posted to a CLN account's hook URL is genuine.
      verify: () => ({ ok: false, reason: 'bad_signature' }),
      parse: () => [],
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      redactHeaders: ['rune'],
    },
  });
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/knex.js';
import type { Connector, UpstreamEvent, UpstreamInvoice } from '../types.js';
import { manifest } from './manifest.js';
import { sandboxStore, type SandboxInvoiceRow, type SandboxStatus } from './store.js';

export interface SandboxConnector extends Connector {
  /** Test mode only: makes the fake upstream move an invoice, as a real payer would. */
  simulate(upstreamId: string, status: SandboxStatus, paidAmount?: string): Promise<UpstreamEvent | undefined>;
}

function toUpstreamInvoice(row: SandboxInvoiceRow, publicBaseUrl: string): UpstreamInvoice {
  return {
    upstreamId: row.upstream_id,
    status: row.status,
    payUrl: `${publicBaseUrl}/sandbox/pay/${row.upstream_id}`,
    payment: null,
    paid: row.paid_amount && row.paid_at ? { amount: row.paid_amount, currency: row.currency, paidAt: row.paid_at, fee: '0' } : null,
    raw: { sandbox_status: row.status },
  };
}

/**
 * A fake upstream that lives in our own database: invoices are created, read and cancelled
 * through the same Connector interface as real gateways, and paid only by `simulate`.
 */
export function createSandboxConnector(deps: { db: Db; publicBaseUrl: string }): SandboxConnector {
  const { db, publicBaseUrl } = deps;
  const mustFind = async (upstreamId: string) => {
    const row = await sandboxStore.find(db, upstreamId);
    if (!row) throw new Error(`sandbox invoice ${upstreamId} does not exist`);
    return row;
  };
  return {
    manifest,
    validateCredentials: (credentials) =>
      credentials === undefined || (typeof credentials === 'object' && credentials !== null && Object.keys(credentials).length === 0)
        ? []
        : [{ field: '/credentials', message: 'the sandbox takes no credentials' }],
    validateConfig: (config) => Object.keys(config).map((k) => ({ field: `/config/${k}`, message: 'the sandbox takes no config' })),
    redactHeaders: [],
    async createInvoice(account, input) {
      const row = await sandboxStore.insert(db, {
        upstream_id: `sbx_${randomBytes(12).toString('hex')}`,
        gateway_account_id: account.accountId,
        status: 'pending',
        amount: input.amount,
        currency: input.currency,
        expires_at: input.expiresAt,
      });
      return toUpstreamInvoice(row, publicBaseUrl);
    },
    async getInvoice(_account, upstreamId) {
      return toUpstreamInvoice(await mustFind(upstreamId), publicBaseUrl);
    },
    async cancelInvoice(_account, upstreamId) {
      await sandboxStore.update(db, upstreamId, { status: 'cancelled' });
    },
    async simulate(upstreamId, status, paidAmount) {
      const current = await mustFind(upstreamId);
      const paid = status === 'paid';
      const row = await sandboxStore.update(db, upstreamId, {
        status,
        ...(paid ? { paid_amount: paidAmount ?? current.amount, paid_at: new Date() } : {}),
      });
      if (!row) return undefined;
      const view = toUpstreamInvoice(row, publicBaseUrl);
      return { dedupeKey: `${upstreamId}:${status}`, upstreamId, status: view.status, paid: view.paid, raw: view.raw };
    },
    // The sandbox never calls us: nothing it could send is genuine.
    verifyWebhook: () => ({ ok: false, reason: 'bad_signature' }),
    parseWebhook: () => [],
    acknowledgement: () => ({ status: 200, contentType: 'application/json', body: '{"ok":true}' }),
  };
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/knex.js';
import { defineConnector } from '../kit/index.js';
import type { UpstreamEvent } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { sandboxInvoicesRepo as sandboxStore, type SandboxStatus } from '../../db/sandbox-invoices-repo.js';
import { toUpstreamEvent, toUpstreamInvoice } from './transformers.js';

/** A Connector plus `simulate`. */
export type SandboxConnector = ReturnType<typeof createSandboxConnector>;

/** A fake upstream in our own database, behind the same Connector interface as real gateways; paid only by `simulate`. */
export function createSandboxConnector(deps: { db: Db }) {
  const { db } = deps;
  const mustFind = async (upstreamId: string) => {
    const row = await sandboxStore.find(db, upstreamId);
    if (!row) throw new Error(`sandbox invoice ${upstreamId} does not exist`);
    return row;
  };
  const connector = defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    /** Nothing is written here: the row goes into the invoice's own statement (ownRow), so it never exists without its invoice. */
    async createInvoice(account, input) {
      const { amount, currency, expiresAt: expires_at } = input;
      const values = { upstream_id: `sbx_${randomBytes(12).toString('hex')}`, gateway_account_id: account.accountId, status: 'pending' as const, amount, currency, expires_at };
      return { ...toUpstreamInvoice({ ...values, paid_amount: null, paid_at: null }), ownRow: { table: 'sandbox_invoices', values } };
    },
    getInvoice: async (_account, upstreamId) => toUpstreamInvoice(await mustFind(upstreamId)),
    async cancelInvoice(_account, upstreamId) {
      await sandboxStore.update(db, upstreamId, { status: 'cancelled' });
    },
    /** Gives the money back at once, as a refunding upstream would. */
    async refund(_account, request) {
      await sandboxStore.update(db, request.upstreamId, { status: 'refunded' });
      return { status: 'succeeded', reference: `sbx_refund_${randomBytes(8).toString('hex')}`, claimUrl: null, raw: { sandbox_status: 'refunded' } };
    },
    webhooks: {
      // The sandbox never calls us: nothing it could send is genuine.
      verify: () => ({ ok: false, reason: 'bad_signature' }),
      parse: () => [],
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
    },
  });
  /** Test mode only: makes the fake upstream move an invoice, as a real payer would. */
  async function simulate(upstreamId: string, status: SandboxStatus, paidAmount?: string): Promise<UpstreamEvent | undefined> {
    const current = await mustFind(upstreamId);
    const paid = status === 'paid' ? { paid_amount: paidAmount ?? current.amount, paid_at: new Date() } : {};
    const row = await sandboxStore.update(db, upstreamId, { status, ...paid });
    return row && toUpstreamEvent(row);
  }
  return Object.assign(connector, { simulate });
}

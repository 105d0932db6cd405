import type { Db } from '../db/knex.js';
import type { SecretBox } from '../security/secret-box.js';
import type { InvoiceService } from '../invoices/invoice-service.js';
import { createIdempotently } from '../http/idempotency.js';
import { pageRequest, pathId, tenantAuth, tenantScope, type Handlers } from './handler.js';

type InvoiceOperations = 'createInvoice' | 'getInvoice' | 'listInvoices' | 'cancelInvoice' | 'refundInvoice' | 'syncInvoice' | 'simulateInvoice';

export function invoiceHandlers(deps: { db: Db; secretBox: SecretBox; invoices: InvoiceService }): Handlers<InvoiceOperations> {
  const { invoices } = deps;
  return {
    async createInvoice(c, req, res) {
      // The key is re-checked inside the create statement: it may have come from the key cache.
      const scope = { ...tenantScope(res), keyId: tenantAuth(res).keyId };
      const body = c.request.requestBody;
      await createIdempotently(deps, req, res, scope, body, (finish) => invoices.create(scope, body, finish));
    },
    async getInvoice(c, _req, res) {
      res.json(await invoices.get(tenantScope(res), pathId(c)));
    },
    async listInvoices(c, _req, res) {
      const q = c.request.query;
      const filter = {
        ...(q.status ? { status: q.status } : {}),
        ...(q.external_id ? { externalId: q.external_id } : {}),
      };
      res.json(await invoices.list(tenantScope(res), pageRequest(c), filter));
    },
    async cancelInvoice(c, _req, res) {
      res.json(await invoices.cancel(tenantScope(res), pathId(c)));
    },
    async refundInvoice(c, req, res) {
      const scope = tenantScope(res);
      const body = c.request.requestBody ?? {};
      await createIdempotently(deps, req, res, scope, body, (finish) => invoices.refund(scope, pathId(c), body, finish), 200);
    },
    async syncInvoice(c, _req, res) {
      res.json(await invoices.sync(tenantScope(res), pathId(c)));
    },
    async simulateInvoice(c, _req, res) {
      res.json(await invoices.simulate(tenantScope(res), pathId(c), c.request.requestBody));
    },
  };
}

import type { Db } from '../db/knex.js';
import { sandboxInvoicesRepo } from '../db/sandbox-invoices-repo.js';
import { ApiError } from '../http/problem.js';
import type { Handlers } from './handler.js';

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sandbox's pretend checkout: pay_url must lead somewhere a person can read. */
export function sandboxHandlers(deps: { db: Db }): Handlers<'getSandboxCheckout'> {
  return {
    async getSandboxCheckout(c, _req, res) {
      const row = await sandboxInvoicesRepo.findCheckout(deps.db, c.request.params.upstream_id);
      if (!row) throw new ApiError('not_found', 'No such sandbox invoice');
      const e = { ...row, description: row.description ?? '' };
      res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title></head>
<body>
<h1>Sandbox checkout</h1>
<p>Invoice <code>${escapeHtml(e.id)}</code>: <strong>${escapeHtml(e.amount)} ${escapeHtml(e.currency)}</strong> — ${escapeHtml(e.status)}</p>
<p>${escapeHtml(e.description)}</p>
<p>This is a test-mode invoice; no money moves. Settle it with:</p>
<pre>curl -X POST $SWITCHYARD/v1/invoices/${escapeHtml(e.id)}/simulate \\
  -H "Authorization: Bearer sy_test_…" -H "Content-Type: application/json" -d '{"status":"paid"}'</pre>
</body></html>`);
    },
  };
}

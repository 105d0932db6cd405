import type { Db } from '../db/knex.js';
import { sandboxInvoicesRepo } from '../db/sandbox-invoices-repo.js';
import { ApiError } from '../http/problem.js';
import { checkoutPaths } from './checkout.js';
import type { Handlers } from './handler.js';

/** The sandbox's old pretend checkout address: sandbox invoices are now paid on the hosted checkout page. */
export function sandboxHandlers(deps: { db: Db; config: { publicBaseUrl: string } }): Handlers<'getSandboxCheckout'> {
  return {
    async getSandboxCheckout(c, _req, res) {
      const token = await sandboxInvoicesRepo.findCheckoutToken(deps.db, c.request.params.upstream_id);
      if (!token) throw new ApiError('not_found', 'No such sandbox invoice');
      res.redirect(302, checkoutPaths(deps.config.publicBaseUrl, token).page);
    },
  };
}

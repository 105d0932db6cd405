import type { Config } from '../config.js';
import { UrlPolicyError } from '../domain/errors.js';
import { assertUrlAllowed, OutboundAddressError } from './outbound-guard.js';

/**
 * Registration-time check of a tenant-supplied URL (webhook endpoint, gateway base_url) against the
 * operator's outbound policy. A name that does not resolve yet is accepted: every connection is
 * checked again at connect time.
 */
export async function assertTenantUrlAllowed(url: URL, config: Pick<Config, 'allowPrivateWebhookUrls' | 'webhook'>, field: string): Promise<void> {
  try {
    await assertUrlAllowed(url, { allowPrivate: config.allowPrivateWebhookUrls, allowList: config.webhook.allowedHosts });
  } catch (err) {
    if (err instanceof OutboundAddressError && err.reason !== 'unresolvable') {
      throw new UrlPolicyError('url_not_allowed', `${url.hostname} resolves to a non-public address (${err.reason}); the operator has not allowed it`, {
        errors: [{ field, message: 'resolves to a non-public address', code: 'url_not_allowed' }],
      });
    }
    if (!(err instanceof OutboundAddressError)) throw err;
  }
}

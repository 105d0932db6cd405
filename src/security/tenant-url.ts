import type { Config } from '../config.js';
import { UrlPolicyError } from '../domain/errors.js';
import { assertUrlAllowed, OutboundAddressError } from './outbound-guard.js';

/** The operator settings that let a non-public host through: named in the refusal so the reader knows what to ask for. */
export function allowHint(host: string): string {
  return `the operator can allow it by adding ${host} (or its address range) to WEBHOOK_ALLOWED_HOSTS, or every private address with ALLOW_PRIVATE_WEBHOOK_URLS=true`;
}

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
      const hint = allowHint(err.host || url.hostname);
      throw new UrlPolicyError('url_not_allowed', `${url.hostname} resolves to a non-public address (${err.reason}); ${hint}`, {
        errors: [{ field, message: `resolves to a non-public address; ${hint}`, code: 'url_not_allowed' }],
      });
    }
    if (!(err instanceof OutboundAddressError)) throw err;
  }
}

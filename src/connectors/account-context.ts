import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { SecretBox } from '../security/secret-box.js';
import type { AccountContext } from './types.js';

/** Where an upstream sends webhooks for one account. */
export function webhookUrlFor(publicBaseUrl: string, account: Pick<GatewayAccountRow, 'id' | 'connector'>): string {
  return `${publicBaseUrl}/hooks/${account.connector}/${account.id}`;
}

/** Builds the per-call view a connector gets: credentials decrypted for this call only. */
export function createAccountContexts(deps: { secretBox: SecretBox; publicBaseUrl: string }) {
  return (account: GatewayAccountRow): AccountContext => ({
    accountId: account.id,
    livemode: account.livemode,
    credentials: account.credentials_encrypted ? (JSON.parse(deps.secretBox.open(account.credentials_encrypted, account.id)) as Record<string, string>) : {},
    config: account.config,
    webhookUrl: webhookUrlFor(deps.publicBaseUrl, account),
  });
}

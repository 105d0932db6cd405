import type { UpstreamWebhookRow } from '../../db/upstream-webhooks-repo.js';

/** The operator's view of a stored upstream call: the exact bytes (also base64) and what became of them. */
export function toUpstreamWebhookObject(row: UpstreamWebhookRow) {
  return {
    id: row.id,
    object: 'upstream_webhook' as const,
    connector: row.connector,
    gateway_account_id: row.gateway_account_id,
    received_at: row.received_at.toISOString(),
    source_address: row.source_address,
    method: row.method,
    path: row.path,
    headers: row.headers,
    body: row.raw_body.toString('utf8'),
    body_base64: row.raw_body.toString('base64'),
    verified: row.verified,
    verification_error: row.verification_error,
    processed_at: row.processed_at?.toISOString() ?? null,
    process_error: row.process_error,
  };
}

import { findCurrency, type Currency } from '../domain/currencies.js';
import { checkAmount } from '../domain/money.js';
import type { FieldError } from '../domain/errors.js';
import { checkUrlInput } from '../security/url-input.js';
import type { Components } from '../generated/openapi.js';

/** The body of POST /v1/invoices after OpenAPI validation (shapes and bounds are already checked). */
export type InvoiceCreateBody = Components.Schemas.InvoiceCreate;

export const METADATA_MAX_BYTES = 4096;
export const DEFAULT_EXPIRES_IN = 3600;

/**
 * The rules the schema cannot express: the currency table, each currency's decimals, assets only
 * for fiat invoices, the metadata size and absolute http(s) return URLs.
 */
export function checkInvoiceSemantics(body: InvoiceCreateBody): { currency?: Currency; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const currency = findCurrency(body.currency);
  if (!currency) {
    errors.push({ field: '/body/currency', message: `unsupported currency ${body.currency}`, code: 'unsupported_currency' });
  } else {
    const amount = checkAmount(body.amount, currency);
    if (!amount.ok) errors.push({ field: '/body/amount', message: amount.reason, code: 'invalid_amount' });
  }
  if (body.accepted_assets?.length) {
    if (currency && currency.kind !== 'fiat') {
      errors.push({ field: '/body/accepted_assets', message: 'accepted_assets applies only to fiat invoices', code: 'not_allowed' });
    }
    body.accepted_assets.forEach((entry, i) => {
      // An entry may name a rail (BTC-LN): the asset is the part before it.
      const asset = entry.replace(/-(CHAIN|LN)$/, '');
      if (findCurrency(asset)?.kind !== 'crypto') {
        errors.push({ field: `/body/accepted_assets/${i}`, message: `${asset} is not a supported crypto asset`, code: 'unsupported_asset' });
      }
    });
  }
  if (body.metadata !== undefined && Buffer.byteLength(JSON.stringify(body.metadata)) > METADATA_MAX_BYTES) {
    errors.push({ field: '/body/metadata', message: `metadata must serialize to at most ${METADATA_MAX_BYTES} bytes`, code: 'too_large' });
  }
  for (const field of ['return_url', 'fail_return_url'] as const) {
    const value = body[field];
    const checked = value === undefined ? undefined : checkUrlInput(value, `/body/${field}`, { schemes: ['http:', 'https:'] });
    if (checked && 'error' in checked) errors.push(checked.error);
  }
  return { ...(currency ? { currency } : {}), errors };
}

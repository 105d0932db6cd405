import { z } from 'zod';
import { baseUrlSetting, requiredText } from '../kit/index.js';

/** A path (and optional query) under base_url naming the invoice by our id or by XthonPay's. */
const STATUS_PATH = /^\/[A-Za-z0-9/_.\-{}?=&]{1,200}$/;
const PLACEHOLDER = /\{(external_id|invoice_id)\}/;
const STATUS_PATH_MESSAGE = 'must be a path under base_url containing {external_id} (or {invoice_id}), e.g. /invoices/{external_id}';

export const credentialsSchema = z.object({
  api_key: requiredText(),
  api_secret: requiredText(),
  webhook_secret: requiredText(),
});

export const configSchema = z.object({
  base_url: baseUrlSetting.optional(),
  status_path: z.string({ error: STATUS_PATH_MESSAGE }).refine((p) => STATUS_PATH.test(p) && PLACEHOLDER.test(p), STATUS_PATH_MESSAGE).optional(),
});

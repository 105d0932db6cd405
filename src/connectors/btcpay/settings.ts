import { z } from 'zod';
import { requiredText } from '../kit/index.js';

export const SPEED_POLICIES = ['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed'] as const;
/** What a refund gives back: the crypto paid (RateThen), its value now (CurrentRate), or the fiat amount (Fiat). */
export const REFUND_VARIANTS = ['RateThen', 'CurrentRate', 'Fiat'] as const;
/** The rail the refund is paid out on (BTCPay 2.x ids). */
export const REFUND_PAYMENT_METHODS = ['BTC-CHAIN', 'BTC-LN'] as const;

export const credentialsSchema = z.object({
  api_key: requiredText(),
  store_id: requiredText().regex(/^[A-Za-z0-9]{8,128}$/, 'must be the store id shown in Store → Settings (letters and digits)'),
  webhook_secret: requiredText(),
});

export const configSchema = z.object({
  // Self-hosted: there is no default server to fall back on.
  base_url: requiredText('is required: the address of your BTCPay Server (e.g. https://btcpay.example.com)'),
  speed_policy: z.enum(SPEED_POLICIES, { error: `must be one of ${SPEED_POLICIES.join(', ')}` }).optional(),
  refund_variant: z.enum(REFUND_VARIANTS, { error: `must be one of ${REFUND_VARIANTS.join(', ')}` }).optional(),
  refund_payment_method: z.enum(REFUND_PAYMENT_METHODS, { error: `must be one of ${REFUND_PAYMENT_METHODS.join(', ')}` }).optional(),
});

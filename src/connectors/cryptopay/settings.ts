import { z } from 'zod';
import { baseUrlSetting } from '../kit/index.js';

/** `<app id>:<secret>`, as @CryptoBot shows it. */
export const credentialsSchema = z.object({
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be a Crypto Pay app token (digits:letters)'),
});

export const configSchema = z.object({
  environment: z.enum(['mainnet', 'testnet']).optional(),
  base_url: baseUrlSetting.optional(),
});

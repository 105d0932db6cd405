import { z } from 'zod';
import { baseUrlSetting } from '../kit/index.js';

const MERCHANT_ID = 'must be the PayStablecoin Merchant ID (letters, digits, _ and -)';
const API_SECRET = 'must be the API Secret from the merchant portal';

/** API Checkout signs every request with the secret; it takes no API key. */
export const credentialsSchema = z.object({
  merchant_id: z.string({ error: MERCHANT_ID }).regex(/^[A-Za-z0-9_-]{1,128}$/, MERCHANT_ID),
  api_secret: z.string({ error: API_SECRET }).min(1, API_SECRET),
});

export const configSchema = z.object({ base_url: baseUrlSetting.optional() });

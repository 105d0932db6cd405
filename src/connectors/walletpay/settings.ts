import { z } from 'zod';
import { baseUrlSetting } from '../kit/index.js';

const API_KEY = 'must be the Wallet Pay store API key';

export const credentialsSchema = z.object({ api_key: z.string({ error: API_KEY }).min(8, API_KEY) });

export const configSchema = z.object({
  base_url: baseUrlSetting.optional(),
  // true: the documented addresses; a list: those addresses or ranges; false: off.
  webhook_ip_allowlist: z.union([z.boolean(), z.array(z.string())], { error: 'must be true, false or a list of addresses or ranges' }).optional(),
  webhook_timestamp_tolerance_seconds: z.int({ error: 'must be a whole number of seconds' }).min(1).max(86400).optional(),
});

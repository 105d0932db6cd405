import { z } from 'zod';
import { baseUrlSetting } from '../kit/index.js';

const API_KEY = 'must be the xRocket Pay app API token (no spaces)';
const ALLOWLIST = 'must be a list of IP addresses or CIDR ranges';

// The token's shape is not documented: any run of 8 or more non-space characters.
export const credentialsSchema = z.object({ api_key: z.string({ error: API_KEY }).regex(/^\S{8,}$/, API_KEY) });

export const configSchema = z.object({
  base_url: baseUrlSetting.optional(),
  webhook_ip_allowlist: z.array(z.string({ error: ALLOWLIST }).min(2, ALLOWLIST).max(49, ALLOWLIST), { error: ALLOWLIST }).max(50).optional(),
});

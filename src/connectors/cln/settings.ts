import { z } from 'zod';
import { requiredText } from '../kit/index.js';

/** Waits longer than this are cut by most proxies and load balancers anyway. */
export const MAX_WAIT_TIMEOUT_SECONDS = 3600;

export const credentialsSchema = z.object({
  // Runes are base64url text; whether one is genuine is the node's business (getinfo checks it).
  rune: requiredText().regex(/^[A-Za-z0-9_\-=]{8,4096}$/, 'must be a rune: the base64url text lightning-cli createrune prints'),
});

export const configSchema = z.object({
  // Self-hosted: there is no default node to fall back on.
  base_url: requiredText('is required: the address of your node’s clnrest (e.g. https://node.example.com:3010)'),
  node_id: z
    .string({ error: 'must be a string' })
    .regex(/^0[23][0-9a-fA-F]{64}$/, 'must be the node’s id: 66 hex characters starting 02 or 03 (lightning-cli getinfo → id)')
    .optional(),
  wait_timeout_seconds: z
    .number({ error: `must be a whole number of seconds, 1 to ${MAX_WAIT_TIMEOUT_SECONDS}` })
    .int({ error: `must be a whole number of seconds, 1 to ${MAX_WAIT_TIMEOUT_SECONDS}` })
    .min(1, { error: `must be a whole number of seconds, 1 to ${MAX_WAIT_TIMEOUT_SECONDS}` })
    .max(MAX_WAIT_TIMEOUT_SECONDS, { error: `must be a whole number of seconds, 1 to ${MAX_WAIT_TIMEOUT_SECONDS}` })
    .optional(),
});

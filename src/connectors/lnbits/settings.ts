import { z } from 'zod';
import { requiredText } from '../kit/index.js';

export const credentialsSchema = z.object({
  // LNbits keys are 32 hex characters; forks and proxies may differ, so only the charset and length are checked.
  api_key: requiredText().regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be the wallet’s Invoice/read key (32 hex characters)'),
});

export const configSchema = z.object({
  // Self-hosted: there is no default server to fall back on.
  base_url: requiredText('is required: the address of your LNbits server (e.g. https://lnbits.example.com)'),
});

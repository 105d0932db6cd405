import { z } from 'zod';

/** The sandbox lives in our own database: nothing to sign in with and nothing to configure. */
export const credentialsSchema = z.object({});
export const configSchema = z.object({});

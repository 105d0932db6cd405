import { z } from 'zod';
import type { ConfigField } from '../types.js';

/**
 * `config.base_url`, which every upstream account accepts: a testnet, a proxy, a self-hosted
 * server, an emulator. Its address is checked against the outbound policy by the account service.
 */
export const baseUrlSetting = z.string().min(1);

export function baseUrlField(description = 'override the API address (a proxy or an emulator)', required = false): ConfigField {
  return { name: 'base_url', description, required };
}

/** The account's base_url without trailing slashes, else the upstream's own address. */
export function apiBase(config: { base_url?: string | undefined }, fallback: string): string {
  return (config.base_url ?? fallback).replace(/\/+$/, '');
}

/** A setting that must be a non-empty string; one message whether it is missing, empty or not text. */
export function requiredText(message = 'is required (a non-empty string)') {
  return z.string({ error: message }).min(1, { error: message, abort: true });
}

/**
 * Factories for what most tests need first: tenants, API keys, gateway accounts, webhook endpoints
 * and invoices. Each is made through the public HTTP API (operator and tenant endpoints), so it
 * goes through the real services and stays valid however they are built inside. Each expects
 * success and fails the test with the problem body otherwise; tests of refusals call the API
 * themselves.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type supertest from 'supertest';
import type { Harness } from './harness.js';

export type Mode = 'test' | 'live';

/** A tenant and one key per mode. */
export interface Shop {
  id: string;
  testKey: string;
  liveKey: string;
}

export interface ApiKey {
  id: string;
  secret: string;
  mode: Mode;
}

export interface GatewayAccount {
  id: string;
  connector: string;
  name: string | null;
  /** Where the upstream must send its webhooks; null for connectors without them. */
  webhook_url: string | null;
  config: Record<string, unknown>;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  /** Shown once, on creation. */
  secret: string;
}

export interface Invoice {
  id: string;
  status: string;
  amount: string;
  currency: string;
  pay_url: string;
  checkout_url: string;
  gateway_selection: 'auto' | 'buyer';
  payment: Record<string, unknown> | null;
  paid: { amount: string; currency: string; exception: string | null } | null;
  refunds: Array<{ amount: string; currency: string; status: string; reference: string | null; claim_url: string | null }>;
  gateway: { connector: string; account_id: string; upstream_id: string; attempts: Array<Record<string, unknown>> };
}

function created<T>(res: supertest.Response, what: string): T {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(201);
  return res.body as T;
}

/** A tenant with a test key and a live key; the name gets a random tail so tenants never collide. */
export function createShop(h: Harness, name = 'Shop'): Promise<Shop> {
  return h.createTenant(`${name} ${randomBytes(3).toString('hex')}`);
}

/** Another API key for a tenant, made by the operator. */
export async function createApiKey(h: Harness, tenantId: string, mode: Mode): Promise<ApiKey> {
  const res = await h.client.post(`/admin/v1/tenants/${tenantId}/api-keys`, { auth: h.operatorToken, body: { mode } });
  return created<ApiKey>(res, 'POST /admin/v1/tenants/{id}/api-keys');
}

/** Connects a gateway account in the key's mode (the upstream checks the credentials where it can). */
export async function connectGatewayAccount(
  h: Harness,
  key: string,
  body: { connector: string; credentials?: Record<string, unknown>; config?: Record<string, unknown>; name?: string; [field: string]: unknown },
): Promise<GatewayAccount> {
  return created<GatewayAccount>(await h.client.post('/v1/gateway-accounts', { auth: key, body }), 'POST /v1/gateway-accounts');
}

/** A webhook endpoint of the tenant's, on every event unless `events` narrows it. */
export async function addWebhookEndpoint(
  h: Harness,
  key: string,
  body: { url: string; events?: string[]; description?: string; enabled?: boolean },
): Promise<WebhookEndpoint> {
  return created<WebhookEndpoint>(await h.client.post('/v1/webhook-endpoints', { auth: key, body }), 'POST /v1/webhook-endpoints');
}

/** An invoice, routed as the body asks (`gateway` forces a connector). */
export async function createInvoice(h: Harness, key: string, body: Record<string, unknown>): Promise<Invoice> {
  return created<Invoice>(await h.client.post('/v1/invoices', { auth: key, body }), 'POST /v1/invoices');
}

/** The invoice as the tenant sees it now. */
export async function getInvoice(h: Harness, key: string, id: string): Promise<Invoice> {
  const res = await h.client.get(`/v1/invoices/${id}`, { auth: key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Invoice;
}

/**
 * What every connector must do, run against its upstream's emulator. A connector's test file
 * declares the connector and its emulator; `connectorConformance` registers the whole battery (and
 * the file's one Switchyard, worker, emulator and tenant receiver), and hands back that world so
 * the file's own tests, which cover only what is particular to the upstream, can use it too.
 *
 * Everything goes through the public HTTP API (tenant and operator) and the emulator's shared
 * interface (test/emulators/emulator-kit.ts); the one exception is holding the reconcile job away
 * from an invoice, so that a test can tell what a webhook did from what reconciliation did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedInvoice, RecordedRequest, UpstreamEmulator, WebhookTarget } from '../emulators/emulator-kit.js';
import { FORGERIES } from '../emulators/emulator-kit.js';
import { HINT_WINDOW_MS } from '../../src/webhooks/inbound/hint-throttle.js';
import { loadOpenApiDocument } from '../../src/http/openapi.js';
import { startConnectorSuite, type ConnectorSuite } from './connector-suite.js';
import { eventually, type Harness } from './harness.js';
import { addWebhookEndpoint, connectGatewayAccount, createInvoice, createShop, getInvoice, type GatewayAccount, type Invoice, type Mode, type Shop } from './factories.js';
import type { Receiver } from './receiver.js';

export interface ConnectorDeclaration<E extends UpstreamEmulator> {
  /** The connector id, as in `gateway` and in webhook URLs. */
  connector: string;
  /** Its name in test titles. */
  name: string;
  /** Starts its upstream's emulator. */
  emulator: () => Promise<E>;
  /** Switchyard settings this connector's tests need (e.g. a PUBLIC_BASE_URL with a path). */
  env?: Record<string, string>;
  /** Key mode its accounts are made in (default test). */
  mode?: Mode;
  /** Account config added to the emulator's for every account of the file (e.g. a webhook timestamp tolerance). */
  config?: Record<string, unknown>;
  /** What to send to POST /v1/invoices (without `gateway`): an invoice this connector takes. */
  invoice: Record<string, unknown>;
  /** Picks the request that checks credentials when an account is connected; absent when the upstream offers no check. */
  credentialCheck?: (request: RecordedRequest) => boolean;
  /** Whether it can ask the upstream for an invoice's state (sync, reconciliation), and the account config that takes. */
  statusQuery: false | { config?: Record<string, unknown> };
  /**
   * The upstream signs nothing (LNbits): its webhooks are hints, stored unverified, answered as
   * usual and only confirmed by asking it (`statusRequest` picks those requests). The battery then
   * checks that a forged paid hint changes nothing and that a flood of hints stays a trickle of
   * questions, instead of expecting forgeries to be refused with 401. `statusRequest` picks the
   * upstream's status queries about one upstream invoice.
   */
  unsignedWebhooks?: { statusRequest: (request: RecordedRequest, upstreamId: string) => boolean };
  /**
   * How the upstream tells Switchyard about payments. `webhooks` (default): it POSTs signed
   * webhooks to the account's webhook_url, and every forgery is tried. `long-poll`: it sends none
   * (Core Lightning); the worker holds a long poll open at the upstream per account, and that path
   * replaces the webhook tests (the emulator then offers no webhook variants).
   */
  notifications?: 'webhooks' | 'long-poll';
  /**
   * Forgeries the upstream's scheme cannot tell from a genuine webhook, each with the reason (the
   * emulator leaves them out of its webhookVariants). `stale` needs no reason where webhooks carry
   * no signed timestamp; any other variant an emulator cannot send must be declared here.
   */
  forgeriesNotApplicable?: Partial<Record<(typeof FORGERIES)[number], string>>;
  /** Receives every log line of the file's Switchyard (at debug level), for tests of what is logged. */
  logs?: { write(line: string): void };
}

/** A fresh tenant with an account of the connector on the emulator and an endpoint of its own on the receiver. */
export interface Connected {
  shop: Shop;
  /** The tenant's key of the connector's mode. */
  key: string;
  account: GatewayAccount;
  /** The receiver path of the tenant's webhook endpoint. */
  path: string;
}

export interface ConnectorWorld<E extends UpstreamEmulator> {
  readonly h: Harness;
  readonly emu: E;
  readonly receiver: Receiver;
  /** Where the app listens (what the upstream's webhooks reach). */
  readonly appUrl: string;
  /** `config` is added to the account's. The tenant's endpoint takes every event. */
  connect(opts?: { config?: Record<string, unknown> }): Promise<Connected>;
  /** An invoice forced to this connector: the declared invoice, with `body` over it. */
  createInvoice(key: string, body?: Record<string, unknown>): Promise<Invoice>;
  invoiceOf(key: string, id: string): Promise<Invoice>;
  /** The upstream invoice behind one of ours, found by the upstream id Switchyard shows. */
  upstreamOf(invoice: Invoice): EmulatedInvoice;
  /** Where the upstream posts this account's webhooks: our process, and the public URL it was given. */
  webhookTarget(account: GatewayAccount): WebhookTarget;
  /** Keeps the reconcile job away from an invoice, so that only webhooks move it. */
  holdReconciliation(invoiceId: string): Promise<void>;
  /** Waits until every verified webhook of the account has been processed. */
  webhooksProcessed(accountId: string): Promise<void>;
  /** The tenant's events of a type about one invoice. */
  eventsOf(key: string, invoiceId: string, type: string): Promise<unknown[]>;
}

interface ListedConnector {
  id: string;
  credential_fields: Array<{ name: string; secret: boolean; required: boolean }>;
  config_fields: Array<{ name: string }>;
}

/** What an unsigned upstream's webhooks are stored with (webhooks/inbound): never verified, processed as hints. */
const UNSIGNED_HINT = 'unsigned_hint';

/** What each forgery is stored with. */
const VERIFICATION_ERROR = { forged: 'bad_signature', unsigned: 'missing_signature', tampered: 'bad_signature', stale: 'stale' } as const;

type ConfigSchema = { properties?: Record<string, { example?: unknown }> };
let configSchemas: ConfigSchema[] | undefined;

/** A value the OpenAPI document gives as valid for an account config field (its example, in whichever connector's config schema has it). */
function exampleConfigValue(field: string): unknown {
  configSchemas ??= Object.entries((loadOpenApiDocument() as { components: { schemas: Record<string, ConfigSchema> } }).components.schemas)
    .filter(([name]) => name.endsWith('Config'))
    .map(([, schema]) => schema);
  const example = configSchemas.map((schema) => schema.properties?.[field]?.example).find((v) => v !== undefined);
  if (example === undefined) throw new Error(`config.${field} has no example in the OpenAPI document, so no valid value to send`);
  return example;
}

export function connectorConformance<E extends UpstreamEmulator>(decl: ConnectorDeclaration<E>): ConnectorWorld<E> {
  const mode = decl.mode ?? 'test';
  const webhooks = (decl.notifications ?? 'webhooks') === 'webhooks';
  let suite: ConnectorSuite<E> | undefined;
  beforeAll(async () => {
    suite = await startConnectorSuite(decl.emulator, decl.env, decl.logs ? { logDestination: decl.logs } : {});
  });
  afterAll(() => suite?.close());

  const the = () => {
    if (!suite) throw new Error('the connector suite has not started');
    return suite;
  };

  const world: ConnectorWorld<E> = {
    get h() {
      return the().h;
    },
    get emu() {
      return the().emu;
    },
    get receiver() {
      return the().receiver;
    },
    get appUrl() {
      return the().appUrl;
    },
    async connect(opts = {}) {
      const { h, emu, receiver } = the();
      const shop = await createShop(h, decl.name);
      const key = mode === 'live' ? shop.liveKey : shop.testKey;
      const account = await connectGatewayAccount(h, key, {
        connector: decl.connector,
        credentials: emu.account.credentials,
        config: { ...emu.account.config, ...decl.config, ...opts.config },
      });
      const path = `/tenant/${shop.id}`;
      await addWebhookEndpoint(h, key, { url: receiver.url(path) });
      return { shop, key, account, path };
    },
    createInvoice: (key, body = {}) => createInvoice(the().h, key, { ...decl.invoice, ...body, gateway: decl.connector }),
    invoiceOf: (key, id) => getInvoice(the().h, key, id),
    upstreamOf(invoice) {
      const found = the().emu.findInvoice({ upstreamId: invoice.gateway.upstream_id });
      expect(found, `the upstream invoice behind ${invoice.id}`).toBeDefined();
      return found!;
    },
    webhookTarget(account) {
      const { h, appUrl } = the();
      const publicUrl = account.webhook_url!;
      // A PUBLIC_BASE_URL path is the reverse proxy's: our process sees what follows it.
      const prefix = new URL(h.config.publicBaseUrl).pathname.replace(/\/$/, '');
      return { url: `${appUrl}${new URL(publicUrl).pathname.slice(prefix.length)}`, publicUrl };
    },
    async holdReconciliation(invoiceId) {
      await the().h.core.db('invoices').where({ id: invoiceId }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
    },
    async webhooksProcessed(accountId) {
      const { h } = the();
      await eventually(async () => {
        // Verified webhooks, and an unsigned upstream's hints (stored unverified), that still wait.
        const unprocessed = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${accountId}&processed=false&limit=100`, { auth: h.operatorToken });
        const pending = (unprocessed.body.data as Array<{ verified: boolean; verification_error: string | null }>).filter((w) => w.verified || w.verification_error === UNSIGNED_HINT);
        expect(pending).toEqual([]);
      });
    },
    async eventsOf(key, invoiceId, type) {
      const list = await the().h.client.get(`/v1/events?type=${type}&limit=100`, { auth: key });
      return (list.body.data as Array<{ data: { id?: string } }>).filter((e) => e.data.id === invoiceId);
    },
  };

  async function listConnectors(key: string): Promise<ListedConnector[]> {
    const res = await the().h.client.get('/v1/connectors', { auth: key });
    return res.body.data as ListedConnector[];
  }

  /** This connector as GET /v1/connectors describes it. */
  async function listed(key: string): Promise<ListedConnector> {
    const found = (await listConnectors(key)).find((c) => c.id === decl.connector);
    expect(found, `${decl.connector} in GET /v1/connectors`).toBeDefined();
    return found!;
  }

  /** A tenant's invoice on this connector, paid in full at the upstream but not yet told to us. */
  async function paidUpstream(opts: { hold: boolean; config?: Record<string, unknown> }) {
    const connected = await world.connect(opts.config ? { config: opts.config } : {});
    const invoice = await world.createInvoice(connected.key);
    if (opts.hold) await world.holdReconciliation(invoice.id);
    const upstream = world.upstreamOf(invoice);
    await world.emu.payInFull(upstream.upstreamId);
    return { ...connected, invoice, upstream };
  }

  describe(`${decl.name}: what every connector does`, () => {
    describe('connecting an account', () => {
      it('accepts genuine credentials, checks them with an authenticated request, keeps the secret ones encrypted and never shows them back', async () => {
        const { h, emu } = the();
        const before = emu.requests.length;
        const { key, account } = await world.connect();
        expect(account.webhook_url).toBe(webhooks ? `${h.config.publicBaseUrl}/hooks/${decl.connector}/${account.id}` : null);
        if (decl.credentialCheck) {
          const check = emu.requests.slice(before).find(decl.credentialCheck);
          expect(check, 'the credential check').toBeDefined();
          expect(check!.authentic, 'the credential check carries the genuine credentials').toBe(true);
        }
        const secretFields = (await listed(key)).credential_fields.filter((f) => f.secret);
        expect(secretFields.length).toBeGreaterThan(0);
        const shown = JSON.stringify([(await h.client.get(`/v1/gateway-accounts/${account.id}`, { auth: key })).body, (await h.client.get('/v1/gateway-accounts', { auth: key })).body]);
        const stored = JSON.stringify(await h.core.db('gateway_accounts').where({ id: account.id }).first());
        // Optional secrets the emulator's account leaves out (Telegram Stars' webhook_secret) have nothing to look for here.
        for (const f of secretFields.filter((field) => field.required || emu.account.credentials[field.name] !== undefined)) {
          const secret = String(emu.account.credentials[f.name]);
          expect(shown, `credentials.${f.name} shown`).not.toContain(secret);
          expect(stored, `credentials.${f.name} stored in clear`).not.toContain(secret);
        }
      });

      it('refuses missing and unknown credential fields with 422 validation_failed naming each, before asking the upstream', async () => {
        const { h, emu } = the();
        const shop = await createShop(h, `${decl.name} malformed`);
        const key = mode === 'live' ? shop.liveKey : shop.testKey;
        const before = emu.requests.length;
        const res = await h.client.post('/v1/gateway-accounts', {
          auth: key,
          body: { connector: decl.connector, credentials: { not_a_credential: 'x' }, config: { ...emu.account.config, ...decl.config } },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.code).toBe('validation_failed');
        const named = res.body.errors.map((e: { field: string }) => e.field);
        for (const field of (await listed(key)).credential_fields.filter((f) => f.required)) expect(named).toContain(`/body/credentials/${field.name}`);
        expect(named).toContain('/body/credentials/not_a_credential');
        if (decl.credentialCheck) expect(emu.requests.slice(before).filter(decl.credentialCheck), 'credential checks').toEqual([]);
        expect((await h.client.get(`/v1/gateway-accounts?connector=${decl.connector}`, { auth: key })).body.data).toEqual([]);
      });

      if (decl.credentialCheck) {
        it('refuses credentials the upstream rejects: 422 upstream_credentials_invalid, and nothing is stored', async () => {
          const { h, emu } = the();
          const shop = await createShop(h, `${decl.name} refused`);
          const key = mode === 'live' ? shop.liveKey : shop.testKey;
          const res = await h.client.post('/v1/gateway-accounts', {
            auth: key,
            body: { connector: decl.connector, credentials: emu.refusedCredentials, config: { ...emu.account.config, ...decl.config } },
          });
          expect(res.status, JSON.stringify(res.body)).toBe(422);
          expect(res.body.code).toBe('upstream_credentials_invalid');
          expect((await h.client.get(`/v1/gateway-accounts?connector=${decl.connector}`, { auth: key })).body.data).toEqual([]);
        });
      }

      it('refuses every config field that only other connectors take: 422 validation_failed naming /body/config/<field>', async () => {
        const { h, emu } = the();
        const shop = await createShop(h, `${decl.name} foreign config`);
        const key = mode === 'live' ? shop.liveKey : shop.testKey;
        const connectors = await listConnectors(key);
        const own = new Set(connectors.find((c) => c.id === decl.connector)!.config_fields.map((f) => f.name));
        const foreign = [...new Set(connectors.flatMap((c) => c.config_fields.map((f) => f.name)))].filter((f) => !own.has(f)).sort();
        for (const field of foreign) {
          const res = await h.client.post('/v1/gateway-accounts', {
            auth: key,
            body: { connector: decl.connector, credentials: emu.account.credentials, config: { ...emu.account.config, ...decl.config, [field]: exampleConfigValue(field) } },
          });
          const answer = { status: res.status, code: res.body.code, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) };
          expect.soft(answer, `config.${field}`).toMatchObject({ status: 422, code: 'validation_failed', fields: expect.arrayContaining([`/body/config/${field}`]) });
        }
        expect.soft((await h.client.get(`/v1/gateway-accounts?connector=${decl.connector}`, { auth: key })).body.data, 'accounts stored').toEqual([]);
      });
    });

    describe('creating an invoice', () => {
      it('creates it upstream with authenticated requests that carry our invoice id; gateway.upstream_id names that upstream invoice', async () => {
        const { emu } = the();
        const { key, account } = await world.connect();
        const before = emu.requests.length;
        const invoice = await world.createInvoice(key);
        expect(invoice.gateway).toMatchObject({ connector: decl.connector, account_id: account.id });
        const sent = emu.requests.slice(before);
        expect(sent.some((r) => r.method === 'POST'), 'a create request').toBe(true);
        expect(sent.filter((r) => !r.authentic), 'requests without the genuine credentials').toEqual([]);
        const upstream = emu.findInvoice({ invoiceId: invoice.id });
        expect(upstream, 'the upstream invoice carrying our invoice id').toBeDefined();
        expect(world.upstreamOf(invoice)).toEqual(upstream);
      });
    });

    if (webhooks) describe('webhooks', () => {
      it('a genuine paid webhook marks the invoice paid, and the tenant gets invoice.paid', async () => {
        const { emu, receiver } = the();
        const { key, account, path, invoice, upstream } = await paidUpstream({ hold: true });
        const answer = await emu.sendInvoiceWebhook(upstream.upstreamId, world.webhookTarget(account));
        expect(answer.status, answer.body).toBe(200);
        await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'));
        expect((await world.invoiceOf(key, invoice.id)).paid).toMatchObject({ amount: expect.any(String), currency: expect.any(String) });
        await eventually(async () => expect(receiver.on(path).map((r) => JSON.parse(r.body)).filter((e) => e.type === 'invoice.paid' && e.data.id === invoice.id)).toHaveLength(1));
      });

      it('the same webhook twice has one effect: one invoice.paid event, delivered to the tenant once', async () => {
        const { emu, receiver } = the();
        const { key, account, path, invoice, upstream } = await paidUpstream({ hold: true });
        const target = world.webhookTarget(account);
        expect((await emu.sendInvoiceWebhook(upstream.upstreamId, target)).status).toBe(200);
        expect((await emu.sendInvoiceWebhook(upstream.upstreamId, target)).status).toBe(200);
        await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'));
        await world.webhooksProcessed(account.id);
        expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toHaveLength(1);
        await eventually(async () => expect(receiver.on(path).filter((r) => JSON.parse(r.body).type === 'invoice.paid')).toHaveLength(1));
      });

      if (decl.unsignedWebhooks) registerHintTests(decl.unsignedWebhooks.statusRequest);
      else it.for(FORGERIES)('a %s webhook is refused with 401, stored unverified, and changes nothing', async (variant, ctx) => {
        const { h, emu } = the();
        if (!emu.webhookVariants.includes(variant)) {
          const why = decl.forgeriesNotApplicable?.[variant] ?? (variant === 'stale' ? 'webhooks carry no signed timestamp' : undefined);
          expect(why, `${decl.name}'s emulator cannot send a ${variant} webhook: declare why in forgeriesNotApplicable`).toBeDefined();
          ctx.skip(`${decl.name}: ${why}`);
        }
        const { key, account, invoice, upstream } = await paidUpstream({ hold: true });
        const answer = await emu.sendInvoiceWebhook(upstream.upstreamId, world.webhookTarget(account), variant);
        expect(answer.status, answer.body).toBe(401);
        expect(JSON.parse(answer.body).code).toBe('unauthorized');
        const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
        expect(stored.body.data).toEqual([
          expect.objectContaining({ connector: decl.connector, verified: false, verification_error: VERIFICATION_ERROR[variant], processed_at: null }),
        ]);
        expect((await world.invoiceOf(key, invoice.id)).status).toBe('pending');
        expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toEqual([]);
      });
    });

    /** An upstream that signs nothing: what its forged hints may and may not do. */
    function registerHintTests(statusRequest: (request: RecordedRequest, upstreamId: string) => boolean) {
      const storedOf = async (accountId: string) =>
        (await the().h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${accountId}&limit=100`, { auth: the().h.operatorToken })).body.data as Array<Record<string, unknown>>;

      it('a forged paid hint for an unpaid invoice is stored unverified (unsigned_hint) and acknowledged; the upstream is asked and the invoice does not move', async () => {
        const { emu } = the();
        const { key, account } = await world.connect();
        const invoice = await world.createInvoice(key);
        await world.holdReconciliation(invoice.id);
        const upstream = world.upstreamOf(invoice);
        const before = emu.requests.length;
        const answer = await emu.sendInvoiceWebhook(upstream.upstreamId, world.webhookTarget(account), 'forged');
        expect(answer.status, answer.body).toBe(200);
        await world.webhooksProcessed(account.id);
        expect(await storedOf(account.id)).toEqual([
          expect.objectContaining({ connector: decl.connector, verified: false, verification_error: UNSIGNED_HINT, processed_at: expect.any(String), process_error: null }),
        ]);
        // At least the hint's own query (a reconcile pass that read the invoice before the hold may add one).
        const asked = emu.requests.slice(before).filter((r) => statusRequest(r, upstream.upstreamId));
        expect(asked.length, 'the status query that confirms the hint').toBeGreaterThanOrEqual(1);
        expect(asked.filter((r) => !r.authentic)).toEqual([]);
        expect((await world.invoiceOf(key, invoice.id)).status).toBe('pending');
        expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toEqual([]);
      });

      it('a flood of hints asks the upstream once per window (the rest are noted and handed to reconciliation), and a payment hidden in it is still settled', async () => {
        const { emu } = the();
        const { key, account } = await world.connect();
        const invoice = await world.createInvoice(key);
        await world.holdReconciliation(invoice.id);
        const upstream = world.upstreamOf(invoice);
        const target = world.webhookTarget(account);
        const flood = 12;
        const answers = await Promise.all(Array.from({ length: flood }, () => emu.sendInvoiceWebhook(upstream.upstreamId, target, 'forged')));
        expect(answers.map((a) => a.status)).toEqual(Array(flood).fill(200));
        await world.webhooksProcessed(account.id);
        const stored = await storedOf(account.id);
        expect(stored).toHaveLength(flood);
        // A hint that takes the window asks; the others are throttled and say so. However slow the
        // processing, no more windows were taken than its span holds.
        const asking = stored.filter((w) => !String(w.process_error ?? '').includes('not confirmed'));
        const span = Math.max(...stored.map((w) => Date.parse(String(w.processed_at)))) - Math.min(...stored.map((w) => Date.parse(String(w.received_at))));
        expect(asking.length).toBeGreaterThanOrEqual(1);
        expect(asking.length).toBeLessThanOrEqual(1 + Math.floor(span / HINT_WINDOW_MS));
        expect(emu.requests.filter((r) => statusRequest(r, upstream.upstreamId)).length).toBeLessThan(flood);
        expect((await world.invoiceOf(key, invoice.id)).status).toBe('pending');
        // The genuine hint arrives inside the window: reconciliation, brought forward, settles it.
        await emu.payInFull(upstream.upstreamId);
        expect((await emu.sendInvoiceWebhook(upstream.upstreamId, target)).status).toBe(200);
        await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'), { timeoutMs: 15_000 });
        expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toHaveLength(1);
      });
    }
    if (!webhooks) describe('payments seen by the worker’s long poll (no webhooks)', () => {
      it('the upstream sends no webhooks: the emulator offers none and the account has no webhook_url', async () => {
        const { emu } = the();
        expect(emu.webhookVariants).toEqual([]);
        expect((await world.connect()).account.webhook_url).toBeNull();
      });

      it('a payment at the upstream marks the invoice paid without reconciliation, and the tenant gets invoice.paid once', async () => {
        const { receiver } = the();
        const { key, path, invoice } = await paidUpstream({ hold: true });
        await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'));
        expect((await world.invoiceOf(key, invoice.id)).paid).toMatchObject({ amount: expect.any(String), currency: expect.any(String) });
        await eventually(async () => expect(receiver.on(path).map((r) => JSON.parse(r.body)).filter((e) => e.type === 'invoice.paid' && e.data.id === invoice.id)).toHaveLength(1));
        expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toHaveLength(1);
      });

      if (decl.statusQuery) {
        const { config } = decl.statusQuery;
        it('the same payment read again (a sync after the long poll saw it) has one effect: one invoice.paid event', async () => {
          const { h } = the();
          const { key, invoice } = await paidUpstream({ hold: true, ...(config ? { config } : {}) });
          await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'));
          expect((await h.client.post(`/v1/invoices/${invoice.id}/sync`, { auth: key })).body.status).toBe('paid');
          expect(await world.eventsOf(key, invoice.id, 'invoice.paid')).toHaveLength(1);
        });
      }

      it('anything posted to the account’s hook URL is refused with 401, stored unverified, and changes nothing', async () => {
        const { h, appUrl } = the();
        const { key, account } = await world.connect();
        const invoice = await world.createInvoice(key);
        await world.holdReconciliation(invoice.id);
        const claim = JSON.stringify({ upstream_id: invoice.gateway.upstream_id, status: 'paid' });
        const res = await fetch(`${appUrl}/hooks/${decl.connector}/${account.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: claim });
        expect(res.status).toBe(401);
        const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
        expect(stored.body.data).toEqual([expect.objectContaining({ connector: decl.connector, verified: false, processed_at: null })]);
        expect((await world.invoiceOf(key, invoice.id)).status).toBe('pending');
      });
    });

    if (decl.statusQuery) {
      const { config } = decl.statusQuery;
      describe('asking the upstream', () => {
        it('POST /v1/invoices/{id}/sync reads a payment whose webhook has not come', async () => {
          const { h } = the();
          const { key, invoice } = await paidUpstream({ hold: true, ...(config ? { config } : {}) });
          const synced = await h.client.post(`/v1/invoices/${invoice.id}/sync`, { auth: key });
          expect(synced.status, JSON.stringify(synced.body)).toBe(200);
          expect(synced.body).toMatchObject({ id: invoice.id, status: 'paid', paid: { amount: expect.any(String), currency: expect.any(String) } });
        });

        it('the reconcile job settles a paid invoice whose webhook never came', async () => {
          const { key, invoice } = await paidUpstream({ hold: false, ...(config ? { config } : {}) });
          await eventually(async () => expect((await world.invoiceOf(key, invoice.id)).status).toBe('paid'), { timeoutMs: 15_000 });
        });
      });
    }
  });

  return world;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { connectGatewayAccount, createInvoice, createShop, getInvoice, type Invoice } from './helpers/factories.js';
import { startClnEmulator, type ClnEmulator } from './emulators/cln.js';
import { createLogger } from '../src/logger.js';
import { startPaymentWaiters } from '../src/jobs/payment-waiters.js';

const cln = connectorConformance({
  connector: 'cln',
  name: 'Core Lightning',
  emulator: startClnEmulator,
  // New accounts get their waiter at once.
  env: { PAYMENT_WAITER_SCAN_SECONDS: '0.2' },
  invoice: { amount: '0.0001', currency: 'BTC' },
  credentialCheck: (r) => r.path === '/v1/getinfo',
  statusQuery: {},
  notifications: 'long-poll',
});

let h: Harness;
let emu: ClnEmulator;
beforeAll(() => void ({ h, emu } = cln));

/**
 * A tenant with a CLN account on a rune of its own, so that the emulator tells this account's
 * calls (its waiter's long polls above all) from every other account's.
 */
async function connectOwn(node: () => ClnEmulator = () => emu, harness: () => Harness = () => h, o: { config?: Record<string, unknown>; priority?: number; key?: string } = {}) {
  const e = node();
  const rune = e.createRune();
  const key = o.key ?? (await createShop(harness(), 'Lightning')).testKey;
  const account = await connectGatewayAccount(harness(), key, {
    connector: 'cln',
    credentials: { rune },
    config: { ...e.account.config, ...o.config },
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
  });
  return { key, account, rune };
}

const callsOf = (e: ClnEmulator, rpcMethod: string, rune?: string) => e.requests.filter((r) => r.rpcMethod === rpcMethod && (rune === undefined || r.rune === rune));
const labelOf = (inv: Invoice) => inv.gateway.upstream_id;
/** Its waiter is holding a long poll open at the node (not one of its first start's instant probes, timeout 0). */
const listening = (e: ClnEmulator, rune: string) =>
  eventually(
    async () => {
      expect(e.activeWaits(rune)).toBe(1);
      expect(callsOf(e, 'waitanyinvoice', rune).at(-1)!.params.timeout).toBeGreaterThan(0);
    },
    { timeoutMs: 10_000 },
  );
const holdReconciliation = (harness: Harness, id: string) => harness.core.db('invoices').where({ id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
const storedCursor = async (harness: Harness, accountId: string) => (await harness.core.db('payment_waiters').where({ gateway_account_id: accountId }).first())?.cursor as string | undefined;

describe('Core Lightning: connecting a node', () => {
  it('checks the rune with getinfo, in the Rune header; node_id, when set, is sent as Nodeid', async () => {
    const before = emu.requests.length;
    const { rune } = await connectOwn(undefined, undefined, { config: { node_id: emu.nodeId, wait_timeout_seconds: 20 } });
    const getinfo = emu.requests.slice(before).find((r) => r.rpcMethod === 'getinfo')!;
    expect(getinfo.headers).toMatchObject({ rune, nodeid: emu.nodeId });
  });

  it('a refused rune is named with clnrest’s code (1502); a v23.08 node without node_id refuses with 1501', async () => {
    const shop = await createShop(h, 'Wrong rune');
    const refused = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cln', credentials: emu.refusedCredentials, config: emu.account.config } });
    expect(refused.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: '1502' });

    const old = await startClnEmulator({ requireNodeId: true });
    try {
      const without = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cln', credentials: { rune: old.rune }, config: { base_url: old.baseUrl } } });
      expect(without.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: '1501' });
      const withId = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cln', credentials: { rune: old.rune }, config: { base_url: old.baseUrl, node_id: old.nodeId } } });
      expect(withId.status, JSON.stringify(withId.body)).toBe(201);
      // Off again at once, so no waiter keeps calling a node that stops with this test.
      await h.client.delete(`/v1/gateway-accounts/${withId.body.id}`, { auth: shop.testKey });
      await eventually(async () => expect(old.activeWaits()).toBe(0));
    } finally {
      await old.stop();
    }
  });

  it.each([
    [{}, '/body/config/base_url'],
    [{ node_id: 'abc' }, '/body/config/node_id'],
    [{ wait_timeout_seconds: 0 }, '/body/config/wait_timeout_seconds'],
    [{ wait_timeout_seconds: 1.5 }, '/body/config/wait_timeout_seconds'],
  ])('config %j is refused naming %s', async (config, field) => {
    const shop = await createShop(h, 'Bad config');
    const base = 'base_url' in config || field === '/body/config/base_url' ? {} : { base_url: emu.baseUrl };
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cln', credentials: { rune: emu.rune }, config: { ...base, ...config } } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('Core Lightning: creating invoices', () => {
  it('invoice gets the amount in msat exactly, a label carrying our invoice id, the description and expiry; the buyer is shown the BOLT11', async () => {
    const { key } = await connectOwn();
    const inv = await cln.createInvoice(key, { amount: '0.00012345', description: 'Espresso', expires_in: 900 });
    const sent = callsOf(emu, 'invoice').at(-1)!.params;
    expect(sent).toEqual({ amount_msat: 12_345_000, label: labelOf(inv), description: 'Espresso', expiry: 900 });
    expect(labelOf(inv)).toMatch(new RegExp(`^switchyard:${inv.id}:[0-9a-f]{16}$`));
    const upstream = emu.invoices.get(labelOf(inv))!;
    expect(inv.payment).toEqual({ network: 'lightning', asset: 'BTC', amount: '0.00012345', bolt11: upstream.bolt11 });
    expect(inv.payment!.bolt11).toMatch(/^lnbc123450n1/);
    // No page of its own: the checkout page shows the Lightning QR.
    expect(inv.pay_url).toBe(inv.checkout_url);
  });

  it('fiat is refused by routing: the account is never asked, and the connector says it takes BTC only', async () => {
    const { key, account } = await connectOwn();
    const before = callsOf(emu, 'invoice').length;
    const usd = await h.client.post('/v1/invoices', { auth: key, body: { amount: '9.99', currency: 'USD', gateway: 'cln' } });
    expect(usd.status).toBe(422);
    expect(usd.body).toMatchObject({ code: 'no_gateway_available', rejected: [{ account_id: account.id, reason: 'cln does not accept fiat currencies' }] });
    expect(callsOf(emu, 'invoice').length).toBe(before);
    const connectors = await h.client.get('/v1/connectors', { auth: key });
    expect(connectors.body.data.find((c: { id: string }) => c.id === 'cln').capabilities).toMatchObject({ currencies: ['BTC'], currency_kinds: ['crypto'], webhooks: false, cancel: true });
  });

  it.each([
    ['lightningd error -1', { status: 500, code: -1, message: 'Database error' }, '-1'],
    ['clnrest unable to reach lightningd (code null)', { status: 500, code: null, message: 'Could not connect to RPC socket' }, 'HTTP_500'],
    ['a proxy’s 502 page', { status: 502, raw: '<html>Bad Gateway</html>' }, 'HTTP_502'],
  ])('%s is retryable: routing fails over to the next Lightning account', async (_what, failure, code) => {
    const first = await connectOwn(undefined, undefined, { priority: 10 });
    const second = await connectOwn(undefined, undefined, { priority: 0, key: first.key });
    emu.failNext('invoice', failure);
    const inv = await cln.createInvoice(first.key);
    expect(inv.gateway.account_id).toBe(second.account.id);
    expect(inv.gateway.attempts.map((a) => [a.account_id, a.outcome, a.code])).toEqual([
      [first.account.id, 'failed', code],
      [second.account.id, 'succeeded', null],
    ]);
  });

  it('an RPC refusal answered with 500 (900 duplicate label) is a decline: no failover, the code is kept', async () => {
    const first = await connectOwn(undefined, undefined, { priority: 10 });
    await connectOwn(undefined, undefined, { priority: 0, key: first.key });
    emu.failNext('invoice', { status: 500, code: 900, message: "Duplicate label 'x'" });
    const res = await h.client.post('/v1/invoices', { auth: first.key, body: { amount: '0.0001', currency: 'BTC', gateway: 'cln' } });
    expect(res.status).toBe(502);
    expect(res.body.attempts).toEqual([expect.objectContaining({ account_id: first.account.id, outcome: 'declined', code: '900' })]);
  });

  it.each([
    ['a revoked rune (401, 1502)', 'revoke', '1502'],
    ['a rune refused for the method (403, 1501)', 'forbid', '1501'],
  ])('%s fails the account without failing over', async (_what, how, code) => {
    const first = await connectOwn(undefined, undefined, { priority: 10 });
    await connectOwn(undefined, undefined, { priority: 0, key: first.key });
    if (how === 'revoke') emu.revokeRune(first.rune);
    else emu.failNext('invoice', { status: 403, code: 1501, message: 'Not authorized: Missing rune' });
    const res = await h.client.post('/v1/invoices', { auth: first.key, body: { amount: '0.0001', currency: 'BTC', gateway: 'cln' } });
    expect(res.status).toBe(502);
    expect(res.body.attempts).toEqual([expect.objectContaining({ account_id: first.account.id, outcome: 'failed', code })]);
  });
});

describe('Core Lightning: labels, cancel, status', () => {
  it('every upstream invoice gets its own label: Lightning picked, left (deleted at the node), picked again', async () => {
    const { key } = await connectOwn();
    const inv = await createInvoice(h, key, { amount: '0.0005', currency: 'BTC', gateway_selection: 'buyer' });
    const choice = `${new URL(inv.checkout_url).pathname}/choice`;
    expect((await h.client.post(choice, { body: { option: 'cln' } })).status).toBe(200);
    const first = labelOf(await getInvoice(h, key, inv.id));
    expect((await h.client.post(choice, { body: { option: 'sandbox' } })).status).toBe(200);
    await eventually(async () => expect(emu.invoices.has(first)).toBe(false));
    expect(callsOf(emu, 'delinvoice').at(-1)!.params).toEqual({ label: first, status: 'unpaid' });
    expect((await h.client.post(choice, { body: { option: 'cln' } })).status).toBe(200);
    const second = labelOf(await getInvoice(h, key, inv.id));
    expect(second).not.toBe(first);
    for (const label of [first, second]) expect(label).toMatch(new RegExp(`^switchyard:${inv.id}:[0-9a-f]{16}$`));
    const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
    expect(offer.body.upstream_invoices.map((u: { connector: string; state: string }) => [u.connector, u.state])).toEqual([
      ['cln', 'cancelled'],
      ['sandbox', 'cancelled'],
      ['cln', 'current'],
    ]);
  });

  it('cancel deletes the unpaid invoice at the node; one the node already expired cancels too', async () => {
    const { key, rune } = await connectOwn();
    // A new account's waiter first reads every open invoice of it directly (a read no hold stops):
    // once it long-polls, that catch-up is over and cannot read the expiry before the cancel.
    await listening(emu, rune);
    const a = await cln.createInvoice(key);
    expect((await h.client.post(`/v1/invoices/${a.id}/cancel`, { auth: key })).body.status).toBe('cancelled');
    expect(emu.invoices.has(labelOf(a))).toBe(false);
    const b = await cln.createInvoice(key);
    // Reconciliation would otherwise read the expiry first and the invoice would no longer be cancellable.
    await holdReconciliation(h, b.id);
    emu.expire(labelOf(b));
    expect((await h.client.post(`/v1/invoices/${b.id}/cancel`, { auth: key })).body.status).toBe('cancelled');
  });

  it('sync reads listinvoices by label: more than asked is paid and overpaid, exact to the msat; an expiry is read too', async () => {
    const { key } = await connectOwn();
    const inv = await cln.createInvoice(key, { amount: '0.0001' });
    await holdReconciliation(h, inv.id);
    emu.pay(labelOf(inv), { amountMsat: 10_000_001n });
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body).toMatchObject({ status: 'paid', paid: { amount: '0.00010000001', currency: 'BTC', exception: 'overpaid' } });
    expect(callsOf(emu, 'listinvoices').some((r) => r.params.label === labelOf(inv))).toBe(true);

    const late = await cln.createInvoice(key);
    await holdReconciliation(h, late.id);
    emu.expire(labelOf(late));
    expect((await h.client.post(`/v1/invoices/${late.id}/sync`, { auth: key })).body.status).toBe('expired');
  });

  it('a disabled account has no waiter; reconciliation still settles its open invoices with listinvoices', async () => {
    const { key, account, rune } = await connectOwn();
    const inv = await cln.createInvoice(key);
    await listening(emu, rune);
    await h.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: key, body: { enabled: false } });
    await eventually(async () => expect(emu.activeWaits(rune)).toBe(0));
    const waits = callsOf(emu, 'waitanyinvoice', rune).length;
    const before = emu.requests.length;
    emu.pay(labelOf(inv));
    await eventually(async () => expect((await getInvoice(h, key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(emu.requests.slice(before).some((r) => r.rpcMethod === 'listinvoices' && r.params.label === labelOf(inv))).toBe(true);
    expect(callsOf(emu, 'waitanyinvoice', rune).length).toBe(waits);
  });
});

describe('Core Lightning: the payment waiter', () => {
  it('sees a payment within seconds through its long poll, reconciliation held', async () => {
    const { key, account, rune } = await connectOwn();
    const inv = await cln.createInvoice(key);
    // A reconcile pass that read the invoice before this hold cannot apply its answer any more.
    await holdReconciliation(h, inv.id);
    await listening(emu, rune);
    const paid = emu.pay(labelOf(inv));
    await eventually(async () => expect((await getInvoice(h, key, inv.id)).status).toBe('paid'), { timeoutMs: 5000 });
    expect((await getInvoice(h, key, inv.id)).paid).toMatchObject({ amount: '0.0001', currency: 'BTC', exception: null });
    const poll = callsOf(emu, 'waitanyinvoice', rune).find((r) => Number(r.params.lastpay_index) < paid.pay_index! && Number(r.params.timeout) > 0);
    expect(poll, 'the long poll that returned the payment').toBeDefined();
    await eventually(async () => expect(await storedCursor(h, account.id)).toBe(String(paid.pay_index)));
  });

  it('payments for invoices it did not open only move it on', async () => {
    const { key, account, rune } = await connectOwn();
    await listening(emu, rune);
    const foreign = await fetch(`${emu.baseUrl}/v1/invoice`, { method: 'POST', headers: { Rune: emu.rune }, body: JSON.stringify({ amount_msat: 5000, label: 'made-by-hand', description: 'not ours' }) });
    expect(foreign.status).toBe(201);
    const theirs = emu.pay('made-by-hand');
    await eventually(async () => expect(await storedCursor(h, account.id)).toBe(String(theirs.pay_index)));
    const inv = await cln.createInvoice(key);
    await holdReconciliation(h, inv.id);
    const ours = emu.pay(labelOf(inv));
    await eventually(async () => expect((await getInvoice(h, key, inv.id)).status).toBe('paid'), { timeoutMs: 5000 });
    await eventually(async () => expect(await storedCursor(h, account.id)).toBe(String(ours.pay_index)));
  });

  it('its first start begins at the node’s newest payment, found in a few probes, and reads ours paid before it started', async () => {
    const { key, account, rune } = await connectOwn();
    const inv = await cln.createInvoice(key);
    await holdReconciliation(h, inv.id);
    await listening(emu, rune);
    // As if the waiter had never run: no account waiter, no stored position.
    await h.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: key, body: { enabled: false } });
    await eventually(async () => expect(emu.activeWaits(rune)).toBe(0));
    await h.core.db('payment_waiters').where({ gateway_account_id: account.id }).delete();
    // The node has been busy: many payments, ours among them.
    for (let i = 0; i < 40; i++) {
      const label = `history-${account.id}-${i}`;
      await fetch(`${emu.baseUrl}/v1/invoice`, { method: 'POST', headers: { Rune: emu.rune }, body: JSON.stringify({ amount_msat: 1000 + i, label, description: 'old' }) });
      emu.pay(label);
      if (i === 20) emu.pay(labelOf(inv));
    }
    const newest = Math.max(...[...emu.invoices.values()].map((i) => i.pay_index ?? 0));
    const before = callsOf(emu, 'waitanyinvoice', rune).length;
    await h.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: key, body: { enabled: true } });
    await eventually(async () => expect((await getInvoice(h, key, inv.id)).status).toBe('paid'), { timeoutMs: 5000 });
    await eventually(async () => expect(Number(await storedCursor(h, account.id))).toBeGreaterThanOrEqual(newest));
    const probes = callsOf(emu, 'waitanyinvoice', rune).slice(before).filter((r) => r.params.timeout === 0);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(newest + 1)) + 2);
  });

  it('follows accounts: a deleted account’s long poll is dropped at once', async () => {
    const { key, account, rune } = await connectOwn();
    await listening(emu, rune);
    await h.client.delete(`/v1/gateway-accounts/${account.id}`, { auth: key });
    await eventually(async () => expect(emu.activeWaits(rune)).toBe(0), { timeoutMs: 5000 });
  });
});

// ---------------------------------------------------------------------------------------------
// Worker processes: a Switchyard of its own (no in-process worker), real `worker` processes.

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** It logged that it waits on this account. */
  waitsOn(accountId: string): boolean;
}

const spawned: WorkerProcess[] = [];

function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['dist/src/main.js', 'worker'], { env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc: WorkerProcess = {
    child,
    output: () => out,
    exited,
    waitsOn: (id) => out.split('\n').some((line) => line.includes(`"account":"${id}"`) && line.includes('"msg":"payment waiter started"')),
  };
  spawned.push(proc);
  return proc;
}

async function killWorkers(): Promise<void> {
  const running = spawned.splice(0);
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
}

describe('Core Lightning: payment waiters across worker processes', () => {
  let wh: Harness;
  let node: ClnEmulator;
  beforeAll(async () => {
    // Short leases and scans so that a takeover is quick; reconciliation out of the way.
    wh = await startHarness({ PAYMENT_WAITER_SCAN_SECONDS: '0.2', PAYMENT_WAITER_LOCK_SECONDS: '3', RECONCILE_INTERVAL_SECONDS: '3600' });
    node = await startClnEmulator();
  });
  afterEach(killWorkers);
  afterAll(async () => {
    await killWorkers();
    await node?.stop();
    await wh?.close();
  });

  const own = (config: Record<string, unknown> = {}) => connectOwn(() => node, () => wh, { config });

  it('two workers: one waiter per account; when its worker is killed the other takes over and sees the payment made meanwhile', async () => {
    const workers = [spawnWorker(wh.env), spawnWorker(wh.env)];
    const { key, account, rune } = await own({ wait_timeout_seconds: 1 });
    const inv = await createInvoice(wh, key, { amount: '0.0002', currency: 'BTC', gateway: 'cln' });
    await holdReconciliation(wh, inv.id);
    // Several long polls come and go (1 s each); never two at once.
    await listening(node, rune);
    await eventually(async () => expect(callsOf(node, 'waitanyinvoice', rune).filter((r) => r.params.timeout === 1).length).toBeGreaterThanOrEqual(3), { timeoutMs: 15_000 });
    expect(node.peakWaits(rune)).toBe(1);
    const holders = workers.filter((w) => w.waitsOn(account.id));
    expect(holders).toHaveLength(1);
    const [holder] = holders;
    const other = workers.find((w) => w !== holder)!;

    holder!.child.kill('SIGKILL');
    await holder!.exited;
    await eventually(async () => expect(node.activeWaits(rune)).toBe(0));
    node.pay(labelOf(inv));
    await eventually(async () => expect((await getInvoice(wh, key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(other.waitsOn(account.id)).toBe(true);
    expect(node.peakWaits(rune)).toBe(1);
  });

  it('SIGTERM drops the long poll at once; a restarted worker resumes from the stored pay_index and sees a payment made while it was down', async () => {
    const first = spawnWorker(wh.env);
    // A long wait: only an abort ends it quickly.
    const { key, account, rune } = await own({ wait_timeout_seconds: 600 });
    const inv = await createInvoice(wh, key, { amount: '0.0003', currency: 'BTC', gateway: 'cln' });
    await holdReconciliation(wh, inv.id);
    await listening(node, rune);
    const cursor = await storedCursor(wh, account.id);
    expect(cursor).toMatch(/^\d+$/);

    // Graceful (exit 0) and quick: had the 600 s poll not been aborted, shutdown would hang until it is forced (exit 1).
    const stopping = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await eventually(async () => expect(node.activeWaits(rune)).toBe(0));

    const paid = node.pay(labelOf(inv));
    const before = callsOf(node, 'waitanyinvoice', rune).length;
    spawnWorker(wh.env);
    await eventually(async () => expect((await getInvoice(wh, key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(callsOf(node, 'waitanyinvoice', rune)[before]!.params.lastpay_index).toBe(Number(cursor));
    await eventually(async () => expect(await storedCursor(wh, account.id)).toBe(String(paid.pay_index)));
  });

  it('a revoked rune: the waiter backs off and logs it once; new credentials restart it at once', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const waiters = startPaymentWaiters(
      { ...wh.core, logger, publicBaseUrl: wh.config.publicBaseUrl, backoff: { baseMs: 50, maxMs: 200, refusedMs: 100 } },
      { keyPrefix: wh.config.queuePrefix, scanMs: 100, leaseMs: 3000 },
    );
    try {
      const { key, account, rune } = await own({ wait_timeout_seconds: 1 });
      await listening(node, rune);
      node.revokeRune(rune);
      await eventually(async () => expect(callsOf(node, 'waitanyinvoice', rune).filter((r) => !r.authentic).length).toBeGreaterThanOrEqual(4), { timeoutMs: 15_000 });
      const refusals = lines.filter((l) => l.includes(account.id) && l.includes('refuses the payment waiter’s credentials'));
      expect(refusals).toHaveLength(1);
      expect(JSON.parse(refusals[0]!)).toMatchObject({ level: 40, err: expect.stringContaining('1502') });

      const fresh = node.createRune();
      expect((await wh.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: key, body: { credentials: { rune: fresh } } })).status).toBe(200);
      await listening(node, fresh);
    } finally {
      await waiters.close();
    }
  });
});

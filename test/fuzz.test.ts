import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { startHarness, type Harness } from './helpers/harness.js';
import { loadOperations, type Operation } from './helpers/fuzz/spec.js';
import { describeRequest, fuzzRequest, type FuzzRequest, type RequestContext } from './helpers/fuzz/requests.js';
import { tenantSnapshot } from './helpers/fuzz/tenant-snapshot.js';
import { LivePool } from './helpers/fuzz/live-pool.js';
import type { ValueContext } from './helpers/fuzz/values.js';
import { signOperatorToken } from '../src/security/operator-token.js';

/*
 * Property: no request, however wrong, gets a 5xx; every error answer is problem+json (except the
 * checkout page's documented HTML 404 page); and nothing another tenant owns changes.
 *
 * Requests are derived from openapi/openapi.yaml for every operation: a valid request (values
 * from the schemas, real ids most of the time), then up to three mutations of its body fields,
 * whole body, content type and encoding, path parameters (including malformed percent-encoding),
 * query, headers, credentials and method. They go to the real app over loopback HTTP.
 *
 * FUZZ_SEED picks another seed (the default is fixed, so CI runs are reproducible); FUZZ_RUNS
 * changes the number of requests. A failure prints the seed and path fast-check needs to replay.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

// Upstreams are stood in for by one that refuses every call as unauthorized (fake credentials):
// nothing leaves the machine, and a 502 upstream_error is what the API documents when an upstream
// fails. So a 502 counts as correct only when an upstream was called during that request.
const upstream = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../src/connectors/kit/http.js', () => ({
  createUpstreamHttp: () => ({
    async send() {
      upstream.calls++;
      const json = { ok: false, error: { code: 401, name: 'UNAUTHORIZED' }, message: 'unauthorized' };
      return { status: 401, text: JSON.stringify(json), json };
    },
  }),
}));

/** Paths no operation has (and the docs and assets the app serves besides the API): any answer, but never a 5xx or a bare error. */
const UNROUTED: Operation = {
  operationId: '(no operation)',
  method: 'get',
  path: '/{section}/{rest}',
  parameters: [
    { name: 'section', in: 'path', required: true, schema: { type: 'string', enum: ['v1', 'v2', 'admin', 'docs', 'assets', 'assets/checkout', 'hooks', 'checkout', 'sandbox', 'openapi.json', 'metrics', ''] } },
    { name: 'rest', in: 'path', required: true, schema: { type: 'string', maxLength: 20 } },
  ],
  security: [],
};

/** Values the server accepts where the schema's pattern allows far more (currencies it knows, amounts every currency takes). */
const KNOWN: Record<string, string[]> = {
  '^[A-Z][A-Z0-9]{1,9}$': ['USD', 'EUR', 'RUB', 'JPY', 'USDT', 'TON', 'BTC'],
  '^[A-Z][A-Z0-9]{1,9}(-(CHAIN|LN))?$': ['USDT', 'TON', 'BTC', 'BTC-LN', 'BTC-CHAIN'],
  '^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,18})?$': ['1', '9.99', '25', '100', '0.5'],
};

interface Outcome {
  status: number;
  contentType: string;
  text: string;
}

/** Why an answer breaks the property, or undefined when it is fine. */
function violation(req: FuzzRequest, res: Outcome, upstreamCalled: boolean): string | undefined {
  let problem: { type?: unknown; title?: unknown; status?: unknown; code?: unknown } | undefined;
  try {
    problem = res.text ? (JSON.parse(res.text) as typeof problem) : undefined;
  } catch {
    problem = undefined;
  }
  if (res.status >= 500 && !(res.status === 502 && upstreamCalled && problem?.code === 'upstream_error')) return `answered ${res.status}`;
  if (res.status < 400) return undefined;
  // The checkout page's documented 404 is a page for people (whatever operation the request was built from).
  const checkoutPage = (req.method === 'GET' || req.method === 'HEAD') && /^\/checkout\/[^/?]+(\?|$)/.test(req.path);
  if (checkoutPage && res.status === 404 && /^text\/html/.test(res.contentType)) return undefined;
  if (!/^application\/problem\+json/.test(res.contentType)) return `error answer ${res.status} is ${res.contentType || 'without Content-Type'}, not problem+json`;
  if (req.method === 'HEAD') return undefined;
  if (typeof problem?.type !== 'string' || typeof problem.title !== 'string' || problem.status !== res.status || typeof problem.code !== 'string') {
    return `error answer ${res.status} is not a problem document: ${res.text.slice(0, 200)}`;
  }
  return undefined;
}

let h: Harness;
let baseUrl: string;
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 1 });

async function send(req: FuzzRequest): Promise<Outcome> {
  const res = await request(`${baseUrl}${req.path}`, { method: req.method as 'GET', headers: req.headers, ...(req.body ? { body: req.body } : {}), dispatcher: agent });
  const text = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text };
}

/** The objects the fuzzed requests name: the fuzzed tenant's, a bystander's, and the operator's playground. */
interface World {
  operations: Operation[];
  ctx: RequestContext;
  remember(req: FuzzRequest, res: Outcome): void;
  fuzzed: { id: string; sandboxAccount: string };
  bystander: { id: string };
}

async function buildWorld(): Promise<World> {
  const api = h.client;
  const operator = h.operatorToken;
  const asOperator = { auth: operator };
  const shop = await h.createTenant('Fuzzed shop');
  const bystander = await h.createTenant('Bystander');
  const playground = await h.createTenant('Operator playground');
  const suspended = await h.createTenant('Suspended');
  await api.patch(`/admin/v1/tenants/${suspended.id}`, { ...asOperator, body: { status: 'suspended' } });
  const revoked = await api.post(`/admin/v1/tenants/${shop.id}/api-keys`, { ...asOperator, body: { mode: 'test' } });
  await api.delete(`/admin/v1/api-keys/${revoked.body.id}`, asOperator);

  // Objects of both tenants: invoices in several states, an endpoint, their events.
  const objectsOf = async (key: string) => {
    const make = async (body: Record<string, unknown>) => (await api.post('/v1/invoices', { auth: key, body })).body as { id: string; checkout_url: string };
    const pending = await make({ amount: '9.99', currency: 'USD', metadata: { order: 1 } });
    const buyer = await make({ amount: '25', currency: 'USDT', gateway_selection: 'buyer' });
    const paid = await make({ amount: '1.50', currency: 'EUR' });
    await api.post(`/v1/invoices/${paid.id}/simulate`, { auth: key, body: { status: 'paid' } });
    const cancelled = await make({ amount: '3', currency: 'USD' });
    await api.post(`/v1/invoices/${cancelled.id}/cancel`, { auth: key });
    const endpoint = await api.post('/v1/webhook-endpoints', { auth: key, body: { url: 'https://93.184.215.14/hooks/switchyard' } });
    expect(endpoint.status).toBe(201);
    const invoices = [pending, buyer, paid, cancelled];
    const rows = await h.core.db('invoices').whereIn('id', invoices.map((i) => i.id)).select('upstream_id');
    // Besides the built-in sandbox, an account of a real connector (Wallet Pay checks no credentials when connecting).
    const walletPay = await api.post('/v1/gateway-accounts', { auth: key, body: { connector: 'walletpay', credentials: { api_key: 'fuzz-key' }, config: { base_url: 'https://93.184.215.14/walletpay' } } });
    expect(walletPay.status).toBe(201);
    const accounts = (await api.get('/v1/gateway-accounts', { auth: key })).body.data as Array<{ id: string; connector: string }>;
    const events = (await api.get('/v1/events?limit=100', { auth: key })).body.data as Array<{ id: string }>;
    return {
      invoices: invoices.map((i) => i.id),
      tokens: invoices.map((i) => new URL(i.checkout_url).pathname.split('/').pop()!),
      sandboxIds: rows.map((r: { upstream_id: string | null }) => r.upstream_id).filter((x): x is string => !!x),
      accounts: accounts.map((a) => a.id),
      sandboxAccount: accounts.find((a) => a.connector === 'sandbox')!.id,
      endpoints: [endpoint.body.id as string],
      events: events.map((e) => e.id),
    };
  };
  const mine = await objectsOf(shop.testKey);
  const theirs = await objectsOf(bystander.testKey);
  // Stored upstream webhooks for the operator's list (unknown account: stored, refused).
  for (const account of [mine.sandboxAccount, theirs.sandboxAccount]) await api.post(`/hooks/cryptopay/${account}`, { body: { update_type: 'invoice_paid' } });
  const webhooks = ((await api.get('/admin/v1/upstream-webhooks', asOperator)).body.data as Array<{ id: string }>).map((w) => w.id);
  const playgroundKeys = ((await api.get(`/admin/v1/tenants/${playground.id}/api-keys`, asOperator)).body.data as Array<{ id: string }>).map((k) => k.id);

  // Tenant calls name the fuzzed tenant's objects and the bystander's (which must answer 404 and
  // stay unchanged); operator calls only the playground's, since an operator may change any tenant.
  // The fuzzed tenant's lists grow with what the run creates (the latest few are kept).
  const tenantIds = {
    inv: new LivePool(mine.invoices, theirs.invoices),
    ga: new LivePool(mine.accounts, theirs.accounts),
    we: new LivePool(mine.endpoints, theirs.endpoints),
    evt: new LivePool(mine.events.slice(0, 6), theirs.events.slice(0, 2)),
  };
  const operatorIds = { ten: new LivePool([playground.id, suspended.id], []), key: new LivePool(playgroundKeys, []), uwh: new LivePool(webhooks, []) };
  const tokens = new LivePool(mine.tokens, []);
  const urls = [
    'https://93.184.215.14/hooks/switchyard',
    'http://93.184.215.14:8080/api',
    'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x',
    'http://127.0.0.1:1/',
    'http://10.0.0.1/',
    'http://169.254.169.254/latest',
    'http://localhost/',
    'mailto:help@shop.example',
  ];
  const valuesFor = (op: Operation): ValueContext => {
    const pools: Record<string, LivePool> = op.security.includes('operatorJwt') ? operatorIds : tenantIds;
    return { ids: (prefix) => pools[prefix]?.list ?? [], urls, known: (pattern) => KNOWN[pattern] };
  };
  const connectors = h.core.connectors.all().map((c) => c.manifest.id);
  const expired = await signOperatorToken(h.config.operatorJwtSecret, 'fuzz', -60);
  const ctx: RequestContext = {
    valuesFor,
    pathValues: (_op, param) => {
      if (param.name === 'token') return tokens.list;
      if (param.name === 'upstream_id') return [...mine.sandboxIds, ...theirs.sandboxIds];
      if (param.name === 'connector') return connectors;
      if (param.name === 'gateway_account_id') return tenantIds.ga.list;
      return undefined;
    },
    validAuth: { apiKey: [`Bearer ${shop.testKey}`, `Bearer ${shop.testKey}`, `Bearer ${shop.testKey}`, `Bearer ${shop.liveKey}`], operatorJwt: [`Bearer ${operator}`] },
    badAuth: [
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      `Bearer sy_test_${'A'.repeat(43)}`,
      'Bearer sy_live_short',
      `Bearer ${revoked.body.secret as string}`,
      `Bearer ${suspended.testKey}`,
      `Bearer ${expired}`,
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(3000)}`,
      `Token ${shop.testKey}`,
    ],
  };
  /** What a successful create answered joins the lists later requests draw on. */
  const remember = (req: FuzzRequest, res: Outcome) => {
    if (res.status !== 200 && res.status !== 201) return;
    let body: { id?: unknown; checkout_url?: unknown };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      return;
    }
    const prefix = typeof body.id === 'string' ? body.id.split('_')[0]! : '';
    const pools: Record<string, LivePool> = req.operationId.match(/Tenant|ApiKey|UpstreamWebhook/) ? operatorIds : tenantIds;
    pools[prefix]?.add(body.id as string);
    if (typeof body.checkout_url === 'string') tokens.add(body.checkout_url.split('/').pop()!);
  };
  return { operations: [...loadOperations(), UNROUTED], ctx, remember, fuzzed: { id: shop.id, sandboxAccount: mine.sandboxAccount }, bystander };
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let world: World;
  beforeAll(async () => {
    h = await startHarness({
      ALLOW_PRIVATE_WEBHOOK_URLS: 'false',
      CHECKOUT_REQUESTS_PER_ADDRESS: '1000000',
      CHECKOUT_CHOICES_PER_INVOICE: '1000000',
      CHECKOUT_CHOICES_PER_ADDRESS: '1000000',
    });
    baseUrl = await h.listen();
    world = await buildWorld();
  });
  afterAll(async () => {
    await agent.close();
    await h?.close();
  });

  it(`${RUNS} requests: no 5xx, every error is problem+json, the bystander tenant is untouched (seed ${SEED})`, async () => {
    const before = await tenantSnapshot(h.core.db, world.bystander.id);
    expect(before.invoices, 'the bystander has objects to protect').toHaveLength(4);
    const perOperation = new Map<string, { sent: number; succeeded: number }>(world.operations.map((op) => [op.operationId, { sent: 0, succeeded: 0 }]));
    const statuses = new Map<number, number>();
    let sent = 0;
    const started = performance.now();

    // One arbitrary per operation, built once: building them is costly (schemas, patterns).
    const perOp = new Map(world.operations.map((op) => [op.operationId, fuzzRequest(op, world.ctx)]));
    // Operations that take a JSON body are drawn twice as often: that is where most input goes.
    const arbitrary = fc
      .oneof(...world.operations.map((op) => ({ weight: op.body?.contentTypes.includes('application/json') ? 2 : 1, arbitrary: fc.constant(op) })))
      .chain((op) => perOp.get(op.operationId)!);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        // Keep the fuzzed tenant able to take invoices: requests may disable or delete its sandbox account.
        if (sent % 20 === 0) {
          await h.core.db('gateway_accounts').where({ id: world.fuzzed.sandboxAccount }).update({ enabled: true, deleted_at: null, currencies: null, min_amount: null, max_amount: null });
        }
        sent++;
        const callsBefore = upstream.calls;
        const res = await send(req);
        world.remember(req, res);
        const stats = perOperation.get(req.operationId)!;
        stats.sent++;
        if (res.status < 400) stats.succeeded++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const wrong = violation(req, res, upstream.calls > callsBefore);
        if (wrong) throw new Error(`${wrong}\n${describeRequest(req)}\n  answer: ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;

    const after = await tenantSnapshot(h.core.db, world.bystander.id);
    expect(after, 'the bystander tenant’s rows changed').toEqual(before);
    const unexercised = [...perOperation].filter(([, s]) => s.sent === 0).map(([id]) => id);
    expect(unexercised, 'operations never requested').toEqual([]);

    const documented = world.operations.length - 1;
    const reached = [...perOperation].filter(([id, s]) => s.succeeded > 0 && id !== UNROUTED.operationId).length;
    console.log(
      `fuzz: ${sent} requests, seed ${SEED}, ${documented} operations of the document (${reached} answered 2xx/3xx at least once) and unrouted paths, ${seconds.toFixed(1)} s; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; upstream calls ${upstream.calls}\n` +
        `  per operation (sent/succeeded): ${[...perOperation].map(([id, s]) => `${id} ${s.sent}/${s.succeeded}`).join(', ')}`,
    );
  }, 600_000);
});

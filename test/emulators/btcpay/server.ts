/**
 * The HTTP side: the Greenfield routes under /api/v1 (auth, permissions, injected failures) and the
 * checkout page at /i/{id}. Every request is recorded with its answer's status.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type createFailureQueue } from '../emulator-kit.js';
import { ApiError, EMPTY, emptyAnswer, failureAnswer, invoiceNotFound, missingPermission } from './errors.js';
import { createInvoice } from './invoice-create.js';
import { invoiceModel, listInvoices } from './invoice-views.js';
import { paymentMethodModels } from './payment-methods.js';
import { PERM_REFUND, refundInvoice } from './refunds.js';
import { PERM_CREATE, PERM_VIEW, type Keyring } from './permissions.js';
import type { Store } from './store.js';
import type { BtcPayFailure, BtcPayInvoice, BtcPayRequest } from './types.js';

type Route = { kind: 'create' | 'list' | 'get' | 'payment-methods' | 'refund'; store: string | null; invoiceId: string | null };

function matchRoute(method: string, path: string): Route {
  const seg = path.split('/').slice(1);
  let route: Omit<Route, 'kind'> & { kinds: Partial<Record<string, Route['kind']>> } | null = null;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (seg[0] === 'stores' && seg[1] && seg[2] === 'invoices') {
    const store = dec(seg[1]);
    if (seg.length === 3) route = { store, invoiceId: null, kinds: { POST: 'create', GET: 'list' } };
    else if (seg.length === 4 && seg[3]) route = { store, invoiceId: dec(seg[3]), kinds: { GET: 'get' } };
    else if (seg.length === 5 && seg[3] && seg[4] === 'payment-methods') route = { store, invoiceId: dec(seg[3]), kinds: { GET: 'payment-methods' } };
    else if (seg.length === 5 && seg[3] && seg[4] === 'refund') route = { store, invoiceId: dec(seg[3]), kinds: { POST: 'refund' } };
  } else if (seg[0] === 'invoices' && seg[1]) {
    if (seg.length === 2) route = { store: null, invoiceId: dec(seg[1]), kinds: { GET: 'get' } };
    else if (seg.length === 3 && seg[2] === 'payment-methods') route = { store: null, invoiceId: dec(seg[1]), kinds: { GET: 'payment-methods' } };
  }
  if (!route) throw emptyAnswer(404); // assumption: ASP.NET's bare 404
  const kind = route.kinds[method];
  if (!kind) throw emptyAnswer(405);
  return { kind, store: route.store, invoiceId: route.invoiceId };
}

export interface ServerDeps {
  store: Store;
  keyring: Keyring;
  failures: ReturnType<typeof createFailureQueue<Omit<BtcPayFailure, 'times'>>>;
  requests: BtcPayRequest[];
  /** Called for each invoice created through the API (InvoiceCreated webhooks). */
  onCreated(inv: BtcPayInvoice): void;
}

/** Starts listening on a loopback port; resolves with the server and its root URL. */
export async function startBtcPayServer(deps: ServerDeps): Promise<{ server: http.Server; serverUrl: string }> {
  const { store, keyring, failures, requests } = deps;

  function handle(method: string, path: string, query: URLSearchParams, req: http.IncomingMessage, body: unknown, bodyError: boolean): unknown {
    const route = matchRoute(method, path);
    const grants = keyring.keyFrom(req);
    const perm = route.kind === 'create' ? PERM_CREATE : route.kind === 'refund' ? PERM_REFUND : PERM_VIEW;
    let inv: BtcPayInvoice | undefined;
    if (route.store !== null) {
      keyring.authorize(grants, perm, route.store);
      if (route.invoiceId !== null) {
        inv = store.invoices.get(route.invoiceId);
        if (!inv || inv.storeId !== route.store) throw invoiceNotFound();
      }
    } else {
      inv = store.invoices.get(route.invoiceId!);
      if (!inv) {
        if (!keyring.may(grants, perm, store.storeId)) throw missingPermission(perm); // assumption
        throw invoiceNotFound();
      }
      keyring.authorize(grants, perm, inv.storeId);
    }
    const failure = failures.take(path);
    if (failure) throw failureAnswer(failure);
    const withPms = query.get('includePaymentMethods')?.toLowerCase() === 'true';
    switch (route.kind) {
      case 'create': {
        if (bodyError) throw new ApiError(400, { code: 'invalid-json', message: 'The request body is not valid JSON' }); // assumption
        const created = createInvoice(store, body);
        deps.onCreated(created);
        return invoiceModel(store, created, withPms);
      }
      case 'list':
        return listInvoices(store, query);
      case 'get':
        return invoiceModel(store, inv!, withPms);
      case 'payment-methods':
        return paymentMethodModels(store, inv!);
      case 'refund':
        if (bodyError) throw new ApiError(400, { code: 'invalid-json', message: 'The request body is not valid JSON' }); // assumption
        return refundInvoice(store, inv!, body);
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = '/api/v1';
      const inApi = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
      const path = inApi ? url.pathname.slice(prefix.length) || '/' : url.pathname;
      const method = req.method ?? 'GET';
      const entry: BtcPayRequest = { method, path, headers: { ...req.headers }, body: undefined, status: 0, authentic: keyring.isAuthentic(req) };
      requests.push(entry);
      let status = 200;
      let text = '';
      let contentType: string | null = 'application/json; charset=utf-8';
      try {
        const raw = await readBody(req, () => emptyAnswer(413));
        let bodyError = false;
        if (raw.length) {
          const s = raw.toString('utf8');
          try {
            entry.body = JSON.parse(s);
          } catch {
            entry.body = s;
            bodyError = true;
          }
        }
        if (!inApi) {
          const m = /^\/i\/([^/]+)$/.exec(url.pathname);
          const inv = m && method === 'GET' ? store.invoices.get(m[1]!) : undefined;
          if (!inv) throw emptyAnswer(404);
          contentType = 'text/html; charset=utf-8';
          text = `<!doctype html><title>Checkout</title><p>Invoice ${inv.id}: ${inv.amount} ${inv.currency} (${inv.status})</p>`;
        } else {
          text = JSON.stringify(handle(method, path, url.searchParams, req, entry.body, bodyError));
        }
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, { code: 'server-error', message: (err as Error).message });
        status = e.status;
        if (e.body === EMPTY) {
          text = '';
          contentType = null;
        } else if (typeof e.body === 'object' && e.body !== null && 'raw' in e.body) {
          text = String((e.body as { raw: unknown }).raw);
          contentType = 'text/html';
        } else {
          text = JSON.stringify(e.body);
        }
      }
      entry.status = status;
      res.writeHead(status, contentType ? { 'content-type': contentType } : {});
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, serverUrl: `http://127.0.0.1:${port}` };
}

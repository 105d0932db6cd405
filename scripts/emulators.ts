/**
 * `npm run emulators`: the test emulators of every upstream on loopback ports, plus a tiny control
 * API to play the payer, so a newcomer can try each connector without real accounts.
 *
 *   GET  http://127.0.0.1:4600/     base URLs and credentials of every emulator (paste into POST /v1/gateway-accounts)
 *   POST http://127.0.0.1:4600/<connector>/<id>/<action>   {"webhook_url": "<the account's webhook_url>", ...}
 *
 * <id> is our invoice id (inv_…) or the upstream's (the invoice's gateway.upstream_id).
 * Every emulator knows these actions (the shared emulator interface):
 *
 *   pay       the payer pays in full, then the webhook goes to webhook_url
 *   expire    the invoice runs out unpaid, then its webhook (not XthonPay: no expiry; Crypto Pay, xRocket: no webhook for it)
 *   webhook   the webhook for the invoice's current state, again
 *
 * Core Lightning (cln) sends no webhooks: Switchyard's worker long-polls the node (waitanyinvoice), so
 * `pay` is seen within seconds without a webhook_url; `webhook` does nothing for it.
 * Wallet Pay signs the path it was given: behind a proxy that strips a prefix, add {"sign_path": "/prefix/hooks/…"}.
 * Extras: btcpay  pay | confirm | expire | invalidate  {"method": "BTC-CHAIN"|"BTC-LN", "amount": "…"}
 *         (BTCPay delivers every event of the change by itself, to webhook_url);
 *         paystablecoin  close (= expire) | fail;
 *         lnbits  webhooks are unsigned hints (double-encoded JSON; {"encoding": "object"} for the
 *         pre-1.1 form), so `pay` without webhook_url is settled by sync or reconciliation.
 *         stars  buy (a buyer: the pre-checkout query, then the payment if the bot said yes; add
 *         {"secret": "<webhook_secret>"} when your bot keeps its webhook) | refund (Telegram refunds
 *         the link's last payment: refunded_payment). Telegram Stars accounts without a webhook_secret
 *         register their webhook here (setWebhook), so webhook_url finds the secret by itself.
 *
 * The answer carries what our webhook ingress said back (`webhook_answers`).
 */
import http from 'node:http';
import type { UpstreamEmulator, WebhookAnswer, WebhookTarget } from '../test/emulators/emulator-kit.js';
import { startCryptoPayEmulator } from '../test/emulators/cryptopay.js';
import { startWalletPayEmulator } from '../test/emulators/walletpay.js';
import { startBtcPayEmulator } from '../test/emulators/btcpay/index.js';
import { startXthonPayEmulator } from '../test/emulators/xthonpay.js';
import { startPayStablecoinEmulator } from '../test/emulators/paystablecoin.js';
import { startXRocketEmulator } from '../test/emulators/xrocket.js';
import { startLnbitsEmulator } from '../test/emulators/lnbits.js';
import { startClnEmulator } from '../test/emulators/cln.js';
import { startStarsEmulator } from '../test/emulators/stars.js';

const CONTROL_PORT = Number(process.env.EMULATOR_CONTROL_PORT ?? 4600);

const [cryptopay, walletpay, btcpay, xthonpay, paystablecoin, xrocket, lnbits, cln, stars] = await Promise.all([
  startCryptoPayEmulator(),
  startWalletPayEmulator(),
  startBtcPayEmulator({ webhookUrl: null }),
  startXthonPayEmulator(),
  startPayStablecoinEmulator(),
  startXRocketEmulator(),
  startLnbitsEmulator(),
  startClnEmulator(),
  startStarsEmulator(),
]);
const emulators: Record<string, UpstreamEmulator> = { cryptopay, walletpay, btcpay, xthonpay, paystablecoin, xrocket, lnbits, cln, stars };

/** What to paste into POST /v1/gateway-accounts (also served at GET / of the control API). */
const where = {
  ...Object.fromEntries(Object.entries(emulators).map(([id, e]) => [id, { config: e.account.config, credentials: e.account.credentials }])),
  paystablecoin: { ...paystablecoin.account, note: 'live keys only' },
};

interface ControlBody {
  webhook_url?: string;
  sign_path?: string;
  method?: 'BTC-CHAIN' | 'BTC-LN';
  amount?: string;
  encoding?: 'double' | 'object';
  /** Telegram Stars: the webhook_secret of a bot that forwards its updates. */
  secret?: string;
}
type Action = (upstreamId: string, body: ControlBody) => Promise<WebhookAnswer[]>;

/** The invoice's current webhook to the account's webhook_url, when one was given. */
async function webhook(emu: UpstreamEmulator, upstreamId: string, b: ControlBody): Promise<WebhookAnswer[]> {
  // Upstreams without webhooks (Core Lightning) offer no variants: the worker asks them instead.
  if (!b.webhook_url || !emu.webhookVariants.length) return [];
  const to: WebhookTarget = { url: b.webhook_url, ...(b.sign_path ? { publicUrl: new URL(b.sign_path, b.webhook_url).toString() } : {}) };
  return [await emu.sendInvoiceWebhook(upstreamId, to)];
}

function sharedActions(emu: UpstreamEmulator): Record<string, Action> {
  const expireUnpaid = emu.expireUnpaid?.bind(emu);
  return {
    pay: async (id, b) => (await emu.payInFull(id), webhook(emu, id, b)),
    ...(expireUnpaid ? { expire: async (id: string, b: ControlBody) => (await expireUnpaid(id), webhook(emu, id, b)) } : {}),
    webhook: (id, b) => webhook(emu, id, b),
  };
}

const deliveries = async (made: Promise<Array<{ status: number; responseBody: string }>>) => (await made).map((d) => ({ status: d.status, body: d.responseBody }));

/** Per connector and action: change the upstream's state like the payer would, then send its webhook(s). */
const actions: Record<string, Record<string, Action>> = {
  ...Object.fromEntries(Object.entries(emulators).map(([id, e]) => [id, sharedActions(e)])),
  // Crypto Pay sends webhooks for payments only; whether xRocket sends one on expiry is undocumented (its emulator sends none by default).
  cryptopay: { ...sharedActions(cryptopay), expire: async (id) => (cryptopay.expire(Number(id)), []) },
  xrocket: { ...sharedActions(xrocket), expire: async (id) => (xrocket.expire(Number(id)), []) },
  // BTCPay delivers to its store webhook by itself: the body's webhook_url sets it.
  btcpay: {
    ...sharedActions(btcpay),
    pay: (id, b) => deliveries(btcpay.pay(id, { ...(b.method ? { method: b.method } : {}), ...(b.amount ? { amount: b.amount } : {}) })),
    confirm: (id) => deliveries(btcpay.confirm(id)),
    expire: (id) => deliveries(btcpay.expire(id)),
    invalidate: (id) => deliveries(btcpay.invalidate(id)),
  },
  // Telegram Stars: a buyer goes through the pre-checkout query first; Telegram may refund by itself.
  stars: {
    ...sharedActions(stars),
    buy: async (slug, b) => {
      if (!b.webhook_url) throw Object.assign(new Error('buy needs the account’s webhook_url'), { status: 400 });
      const bought = await stars.buy(slug, { url: b.webhook_url }, b.secret ? { secret: b.secret } : {});
      return [bought.preCheckoutAnswer, ...(bought.paymentAnswer ? [bought.paymentAnswer] : [])].map((a) => ({ status: a.status, body: a.body }));
    },
    refund: async (slug, b) => {
      const charge = [...stars.charges.values()].reverse().find((c) => c.slug === slug);
      if (!charge || !b.webhook_url) throw Object.assign(new Error('refund needs a paid link and the account’s webhook_url'), { status: 400 });
      const sent = await stars.refundFromTelegram(charge.chargeId, { url: b.webhook_url }, b.secret ? { secret: b.secret } : {});
      return [{ status: sent.status, body: sent.body }];
    },
  },
  paystablecoin: {
    ...sharedActions(paystablecoin),
    close: sharedActions(paystablecoin).expire!,
    fail: (id, b) => (paystablecoin.fail(id), webhook(paystablecoin, id, b)),
  },
  // The LNbits way: once, unsigned, in the encoding asked for.
  lnbits: {
    ...sharedActions(lnbits),
    pay: async (id, b) => (lnbits.pay(id), b.webhook_url ? [await lnbits.sendWebhook(id, b.webhook_url, b.encoding ? { encoding: b.encoding } : {})] : []),
  },
};

/** Our invoice id or the upstream's, as the upstream's own id. */
function upstreamIdOf(emu: UpstreamEmulator, id: string): string {
  const found = emu.findInvoice({ invoiceId: id }) ?? emu.findInvoice({ upstreamId: id });
  if (!found) throw Object.assign(new Error(`no invoice ${id} at this upstream`), { status: 404 });
  return found.upstreamId;
}

const control = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(where, null, 2));
          return;
        }
        const body = (raw ? JSON.parse(raw) : {}) as ControlBody;
        // The older two-segment form (/cryptopay/invoices/<id>/pay) still works.
        const m = /^\/(\w+)\/(?:invoices\/|orders\/)?([\w-]+)\/(\w+)$/.exec(req.url ?? '');
        const emu = m ? emulators[m[1]!] : undefined;
        const action = m && actions[m[1]!]?.[m[3]!];
        if (req.method !== 'POST' || !m || !emu || !action) throw Object.assign(new Error('unknown control route (see scripts/emulators.ts)'), { status: 404 });
        if (emu === btcpay && body.webhook_url) btcpay.webhookUrl = body.webhook_url;
        const said = await action(upstreamIdOf(emu, m[2]!), body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, webhook_answers: said }));
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: (err as Error).message }));
      }
    })();
  });
});
await new Promise<void>((resolve) => control.listen(CONTROL_PORT, '127.0.0.1', resolve));

for (const [id, e] of Object.entries(emulators)) {
  const credentials = Object.entries(e.account.credentials).map(([k, v]) => `${k} ${String(v)}`).join('   ');
  console.log(`${id.padEnd(14)} base_url ${e.baseUrl}   ${credentials}${id === 'paystablecoin' ? '   (live keys)' : ''}`);
}
console.log(`Control API:   http://127.0.0.1:${CONTROL_PORT}  (GET / lists all of this as JSON; see scripts/emulators.ts)`);

const stop = async () => {
  control.close();
  await Promise.all(Object.values(emulators).map((e) => e.stop()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

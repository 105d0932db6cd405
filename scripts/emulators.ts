/**
 * `npm run emulators`: the test emulators of every upstream on loopback ports, plus a tiny control
 * API to play the payer, so a newcomer can try each connector without real accounts.
 *
 *   GET  http://127.0.0.1:4600/     base URLs and credentials of every emulator (paste into POST /v1/gateway-accounts)
 *   POST http://127.0.0.1:4600/<connector>/<id>/<action>   {"webhook_url": "<the account's webhook_url>", ...}
 *
 *   cryptopay      <invoice_id>         pay | expire         (webhook sent on pay)
 *   walletpay      <order_id>           pay | expire         {"sign_path": "..."} when PUBLIC_BASE_URL has a path
 *   btcpay         <btcpay invoice id>  pay | confirm | expire | invalidate   {"method": "BTC-CHAIN"|"BTC-LN", "amount": "…"}
 *   xthonpay       <invoice_id>         pay
 *   paystablecoin  <our invoice id>     pay | close | fail
 *
 * The answer carries what our webhook ingress said back (`webhook_answers`).
 */
import http from 'node:http';
import { startCryptoPayEmulator } from '../test/emulators/cryptopay.js';
import { startWalletPayEmulator } from '../test/emulators/walletpay.js';
import { startBtcPayEmulator } from '../test/emulators/btcpay.js';
import { startXthonPayEmulator } from '../test/emulators/xthonpay.js';
import { startPayStablecoinEmulator } from '../test/emulators/paystablecoin.js';

const CONTROL_PORT = Number(process.env.EMULATOR_CONTROL_PORT ?? 4600);

const [cryptopay, walletpay, btcpay, xthonpay, paystablecoin] = await Promise.all([
  startCryptoPayEmulator(),
  startWalletPayEmulator(),
  startBtcPayEmulator({ webhookUrl: null }),
  startXthonPayEmulator(),
  startPayStablecoinEmulator(),
]);

/** What to paste into POST /v1/gateway-accounts (also served at GET / of the control API). */
const where = {
  cryptopay: { config: { base_url: cryptopay.baseUrl }, credentials: { token: cryptopay.token } },
  walletpay: { config: { base_url: walletpay.baseUrl }, credentials: { api_key: walletpay.apiKey } },
  btcpay: { config: { base_url: btcpay.serverUrl }, credentials: { api_key: btcpay.apiKey, store_id: btcpay.storeId, webhook_secret: btcpay.webhookSecret } },
  xthonpay: { config: { base_url: xthonpay.baseUrl }, credentials: { api_key: xthonpay.apiKey, api_secret: xthonpay.apiSecret, webhook_secret: xthonpay.webhookSecret } },
  paystablecoin: { config: { base_url: paystablecoin.baseUrl }, credentials: { merchant_id: paystablecoin.merchantId, api_secret: paystablecoin.apiSecret }, note: 'live keys only' },
};

interface ControlBody {
  webhook_url?: string;
  sign_path?: string;
  method?: 'BTC-CHAIN' | 'BTC-LN';
  amount?: string;
}
type WebhookAnswer = { status: number; body: string };
type Action = (id: string, body: ControlBody) => Promise<WebhookAnswer[]>;

const send = async (answer: Promise<WebhookAnswer> | undefined) => (answer ? [await answer] : []);
const answers = async (deliveries: Promise<Array<{ status: number; responseBody: string }>>) => (await deliveries).map((d) => ({ status: d.status, body: d.responseBody }));

/** Per connector and action: change the upstream's state like the payer would, then send its webhook(s). */
const actions: Record<string, Record<string, Action>> = {
  cryptopay: {
    pay: (id, b) => (cryptopay.pay(Number(id)), send(b.webhook_url ? cryptopay.sendWebhook(Number(id), b.webhook_url) : undefined)),
    expire: async (id) => (cryptopay.expire(Number(id)), []),
  },
  walletpay: {
    pay: (id, b) => (walletpay.pay(Number(id)), send(b.webhook_url ? walletpay.sendWebhook(Number(id), b.webhook_url, b.sign_path ? { signPath: b.sign_path } : {}) : undefined)),
    expire: (id, b) => (walletpay.expire(Number(id)), send(b.webhook_url ? walletpay.sendWebhook(Number(id), b.webhook_url, b.sign_path ? { signPath: b.sign_path } : {}) : undefined)),
  },
  // BTCPay delivers to its store webhook by itself: the body's webhook_url sets it.
  btcpay: {
    pay: (id, b) => answers(btcpay.pay(id, { ...(b.method ? { method: b.method } : {}), ...(b.amount ? { amount: b.amount } : {}) })),
    confirm: (id) => answers(btcpay.confirm(id)),
    expire: (id) => answers(btcpay.expire(id)),
    invalidate: (id) => answers(btcpay.invalidate(id)),
  },
  xthonpay: {
    pay: (id, b) => (xthonpay.pay(id), send(b.webhook_url ? xthonpay.sendWebhook(id, b.webhook_url) : undefined)),
  },
  paystablecoin: {
    pay: (id, b) => (paystablecoin.pay(id), send(b.webhook_url ? paystablecoin.sendWebhook(id, b.webhook_url) : undefined)),
    close: (id, b) => (paystablecoin.close(id), send(b.webhook_url ? paystablecoin.sendWebhook(id, b.webhook_url) : undefined)),
    fail: (id, b) => (paystablecoin.fail(id), send(b.webhook_url ? paystablecoin.sendWebhook(id, b.webhook_url) : undefined)),
  },
};

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
        const action = m && actions[m[1]!]?.[m[3]!];
        if (req.method !== 'POST' || !m || !action) throw Object.assign(new Error('unknown control route (see scripts/emulators.ts)'), { status: 404 });
        if (m[1] === 'btcpay' && body.webhook_url) btcpay.webhookUrl = body.webhook_url;
        const said = await action(m[2]!, body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, webhook_answers: said }));
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: (err as Error).message }));
      }
    })();
  });
});
await new Promise<void>((resolve) => control.listen(CONTROL_PORT, '127.0.0.1', resolve));

console.log(`Crypto Pay emulator:     base_url ${cryptopay.baseUrl}   token ${cryptopay.token}`);
console.log(`Wallet Pay emulator:     base_url ${walletpay.baseUrl}   api_key ${walletpay.apiKey}`);
console.log(`BTCPay Server emulator:  base_url ${btcpay.serverUrl}   store_id ${btcpay.storeId}   api_key ${btcpay.apiKey}   webhook_secret ${btcpay.webhookSecret}`);
console.log(`XthonPay emulator:       base_url ${xthonpay.baseUrl}   api_key ${xthonpay.apiKey}   api_secret ${xthonpay.apiSecret}   webhook_secret ${xthonpay.webhookSecret}`);
console.log(`PayStablecoin emulator:  base_url ${paystablecoin.baseUrl}   merchant_id ${paystablecoin.merchantId}   api_secret ${paystablecoin.apiSecret}   (live keys)`);
console.log(`Control API:             http://127.0.0.1:${CONTROL_PORT}  (GET / lists all of this as JSON; see scripts/emulators.ts)`);

const stop = async () => {
  control.close();
  await Promise.all([cryptopay.close(), walletpay.close(), btcpay.close(), xthonpay.close(), paystablecoin.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

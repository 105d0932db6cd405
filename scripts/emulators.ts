/**
 * `npm run emulators`: the Crypto Pay and Wallet Pay test emulators on fixed loopback ports, plus a
 * tiny control API to play the payer, so a newcomer can try both connectors without real accounts.
 *
 *   GET  http://127.0.0.1:4600/                                      base URLs and credentials of both emulators
 *   POST http://127.0.0.1:4600/cryptopay/invoices/<invoice_id>/pay   {"webhook_url": "..."}   pays it and sends the signed webhook
 *   POST http://127.0.0.1:4600/walletpay/orders/<order_id>/pay       {"webhook_url": "...", "sign_path": "..."}
 *   POST http://127.0.0.1:4600/walletpay/orders/<order_id>/expire    {"webhook_url": "..."}
 */
import http from 'node:http';
import { startCryptoPayEmulator } from '../test/emulators/cryptopay.js';
import { startWalletPayEmulator } from '../test/emulators/walletpay.js';

const CONTROL_PORT = Number(process.env.EMULATOR_CONTROL_PORT ?? 4600);

const cryptopay = await startCryptoPayEmulator();
const walletpay = await startWalletPayEmulator();

/** What to paste into POST /v1/gateway-accounts (also served at GET / of the control API). */
const where = {
  cryptopay: { base_url: cryptopay.baseUrl, token: cryptopay.token },
  walletpay: { base_url: walletpay.baseUrl, api_key: walletpay.apiKey },
};

const control = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(where));
          return;
        }
        const body = (raw ? JSON.parse(raw) : {}) as { webhook_url?: string; sign_path?: string };
        const m = /^\/(cryptopay\/invoices|walletpay\/orders)\/(\d+)\/(pay|expire)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) throw Object.assign(new Error('unknown control route'), { status: 404 });
        const id = Number(m[2]);
        let answer: { status: number; body: string } | undefined;
        if (m[1] === 'cryptopay/invoices') {
          if (m[3] === 'pay') cryptopay.pay(id);
          else cryptopay.expire(id);
          if (body.webhook_url && m[3] === 'pay') answer = await cryptopay.sendWebhook(id, body.webhook_url);
        } else {
          if (m[3] === 'pay') walletpay.pay(id);
          else walletpay.expire(id);
          if (body.webhook_url) answer = await walletpay.sendWebhook(id, body.webhook_url, body.sign_path ? { signPath: body.sign_path } : {});
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, webhook_answer: answer ?? null }));
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: (err as Error).message }));
      }
    })();
  });
});
await new Promise<void>((resolve) => control.listen(CONTROL_PORT, '127.0.0.1', resolve));

console.log(`Crypto Pay emulator:  base_url ${cryptopay.baseUrl}   token ${cryptopay.token}`);
console.log(`Wallet Pay emulator:  base_url ${walletpay.baseUrl}   api_key ${walletpay.apiKey}`);
console.log(`Control API:          http://127.0.0.1:${CONTROL_PORT}  (see scripts/emulators.ts)`);

const stop = async () => {
  control.close();
  await Promise.all([cryptopay.close(), walletpay.close()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

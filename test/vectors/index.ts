/**
 * Webhook signature vectors (see each connector's PROTOCOL.md), with their bodies
 * copied byte for byte beside this file (no trailing newline), so the tests need nothing outside
 * the repository.
 */
import { readFileSync } from 'node:fs';

const read = (name: string): Buffer => readFileSync(new URL(`./${name}`, import.meta.url));

/** Crypto Pay (self-generated with the documented algorithm): 823 bytes, compact JSON. */
export const cryptoPayVector = {
  body: read('cryptopay_vector_body.json'),
  token: '1234:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  secretHex: '252ca67609711ccb3de9616c5c248592497a931e639b3acc219c89f4f1543492',
  signature: '1b244e488779e1399aa2fad0ce2bd8ae76775fd6c407256fde4fc807f2337091',
};

/** Wallet Pay (the official docs vector): 554 bytes, compact JSON array. */
export const walletPayVector = {
  body: read('walletpay_vector_body.json'),
  key: 'your_secret_api_key_sYIpNypce5sls6Ik',
  method: 'POST',
  path: '/webhook/',
  timestamp: '168824905680291',
  signature: 'MGfJzeEprADZbihhRcGcCY5pYTI/IEJ91ejyA+XOWAs=',
};

/** BTCPay (a real InvoiceSettled delivery): 408 bytes, indented JSON with LF. */
export const btcPayVector = {
  body: read('btcpay_vector_body.json'),
  secret: 'Y6Tio3rXRT4dGqpk43GvBPK9fHQ',
  signature: 'sha256=237906b0175aa4de911eba91ec0791e7482333a5de9f81a179442fc602b0d1be',
};

/** xRocket (self-generated with the documented algorithm over a real 2026 delivery): 529 bytes, compact JSON, `data.id` a string. */
export const xRocketVector = {
  body: read('xrocket_vector_body.json'),
  token: 'xrocket-test-token',
  signature: 'f53fdc9a615f0278a7bf541eb6a2c2abc8a209ad7fc92cf3ef978d86ac54b7eb',
};

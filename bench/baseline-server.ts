/**
 * Benchmark baseline: the least a "create invoice" endpoint can do on this stack.
 * A bare express 5 app with one route, POST /invoices, that parses JSON and does one INSERT
 * through a pg Pool (max 10, like Switchyard's). No auth, no validation, no logging.
 *
 * Started as a child process by bench/invoices.ts:
 *   DATABASE_URL=postgres://… PORT=… node dist/bench/baseline-server.js
 * Creates its table (bench_invoices) if needed, then prints one line, `listening <port>`.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('baseline-server: DATABASE_URL is required');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 0);

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
pool.on('error', (err) => console.error('baseline-server: idle pg client error:', err.message));

await pool.query(`
  CREATE TABLE IF NOT EXISTS bench_invoices (
    id text PRIMARY KEY,
    amount text,
    currency text,
    created_at timestamptz DEFAULT now()
  )`);

const app = express();
app.disable('x-powered-by');
app.use(express.json());

app.post('/invoices', async (req, res) => {
  const body = (req.body ?? {}) as { amount?: unknown; currency?: unknown };
  const id = `inv_${randomUUID()}`;
  await pool.query('INSERT INTO bench_invoices (id, amount, currency) VALUES ($1, $2, $3)', [id, body.amount, body.currency]);
  res.status(201).json({ id, amount: body.amount, currency: body.currency });
});

const server = app.listen(port, () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
server.keepAliveTimeout = 65_000;

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    pool.end().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  server.closeIdleConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

import { startHarness, type Harness } from './harness.js';
import { startReceiver, type Receiver } from './receiver.js';
import { startWorker } from '../../src/jobs/worker.js';

type Stoppable = { stop(): Promise<void> };

/**
 * The world of one connector end-to-end test file: the app listening on loopback with a worker
 * (webhook processing, reconciliation every second, deliveries retried at once), the upstream's
 * emulator, and a receiver for the tenant's own webhooks.
 */
export interface ConnectorSuite<E> {
  h: Harness;
  emu: E;
  receiver: Receiver;
  appUrl: string;
  close(): Promise<void>;
}

export async function startConnectorSuite<E extends Stoppable>(
  startEmulator: () => Promise<E>,
  env: Record<string, string> = {},
  opts: { logDestination?: { write(line: string): void } } = {},
): Promise<ConnectorSuite<E>> {
  const h = await startHarness({ WEBHOOK_RETRY_SCHEDULE: '0,0', OUTBOX_POLL_MS: '200', DELIVERY_SWEEP_MS: '500', RECONCILE_INTERVAL_SECONDS: '1', ...env }, opts);
  const [emu, receiver, appUrl] = await Promise.all([startEmulator(), startReceiver(), h.listen()]);
  const worker = await startWorker(h.core);
  return {
    h,
    emu,
    receiver,
    appUrl,
    async close() {
      try {
        await worker.close();
        await Promise.all([emu.stop(), receiver.close()]);
      } finally {
        await h.close(); // the test database and queue keys go whatever happened above
      }
    },
  };
}

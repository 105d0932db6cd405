import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { createSandboxConnector } from '../../src/connectors/sandbox/index.js';
import type { AccountContext } from '../../src/connectors/types.js';

// Only settings and webhooks here, which never touch the database (knex connects on first query);
// invoices.test.ts drives create, sync, cancel and simulate end to end.
const db = createDb('postgres://unused@127.0.0.1:5432/unused');
afterAll(() => db.destroy());
const sandbox = createSandboxConnector({ db });
const account: AccountContext = { accountId: 'ga_sbx', livemode: false, credentials: {}, config: {}, webhookUrl: 'https://switchyard.example/hooks/sandbox/ga_sbx' };

describe('the sandbox connector', () => {
  it('takes no credentials: none or {} is fine, anything else is refused by name', () => {
    expect(sandbox.validateCredentials(undefined)).toEqual([]);
    expect(sandbox.validateCredentials({})).toEqual([]);
    expect(sandbox.validateCredentials({ token: 'x' })).toEqual([{ field: '/credentials/token', message: expect.stringContaining('it takes none') }]);
    expect(sandbox.validateCredentials('x')).toEqual([{ field: '/credentials', message: 'must be an object' }]);
  });

  it('takes no config', () => {
    expect(sandbox.validateConfig({})).toEqual([]);
    expect(sandbox.validateConfig({ base_url: 'https://x.example' }).map((e) => e.field)).toEqual(['/config/base_url']);
  });

  it('never calls us: every webhook is refused and none yields an event', () => {
    const request = { method: 'POST', publicPath: '/hooks/sandbox/ga_sbx', headers: {}, rawBody: Buffer.from('{}'), sourceAddress: '127.0.0.1', receivedAt: new Date() };
    expect(sandbox.verifyWebhook(account, request)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(sandbox.parseWebhook(Buffer.from('{"status":"paid"}'))).toEqual([]);
  });
});

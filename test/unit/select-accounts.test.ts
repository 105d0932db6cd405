import { describe, expect, it } from 'vitest';
import { assetsFor, selectAccounts, whyNoAccountConsidered } from '../../src/routing/select-accounts.js';
import { manifest as btcpayManifest } from '../../src/connectors/btcpay/manifest.js';
import { gatewayAccountRow } from '../helpers/rows.js';
import type { Connector } from '../../src/connectors/types.js';
import { manifest as sandboxManifest } from '../../src/connectors/sandbox/manifest.js';
import { findCurrency } from '../../src/domain/currencies.js';

const account = gatewayAccountRow;
const sandbox = { manifest: sandboxManifest } as Connector;
const connectorFor = (id: string) => (id === 'sandbox' ? sandbox : undefined);
const req = (over: Partial<Parameters<typeof selectAccounts>[2]> = {}) => ({
  currency: findCurrency('USD')!,
  amount: '10',
  livemode: false,
  expiresIn: 3600,
  ...over,
});

describe('selectAccounts', () => {
  it('keeps suitable accounts in the given (priority) order', () => {
    const r = selectAccounts([account({ id: 'ga_a' }), account({ id: 'ga_b' })], connectorFor, req());
    expect(r.candidates.map((a) => a.id)).toEqual(['ga_a', 'ga_b']);
  });

  it('explains each account it leaves out', () => {
    const r = selectAccounts(
      [
        account({ id: 'ga_live', livemode: true }),
        account({ id: 'ga_eur', currencies: ['EUR'] }),
        account({ id: 'ga_min', min_amount: '10.01' }),
        account({ id: 'ga_max', max_amount: '9.99' }),
        account({ id: 'ga_gone', connector: 'retired' }),
        account({ id: 'ga_ok', min_amount: '10', max_amount: '10.00' }),
      ],
      connectorFor,
      req({ livemode: true }),
    );
    expect(r.candidates).toEqual([]);
    expect(Object.fromEntries(r.rejected.map((x) => [x.account_id, x.reason]))).toMatchObject({
      ga_live: expect.stringContaining('not available in this mode'),
      ga_gone: expect.stringContaining('not available in this build'),
    });
    const test = selectAccounts(
      [account({ id: 'ga_eur', currencies: ['EUR'] }), account({ id: 'ga_min', min_amount: '10.01' }), account({ id: 'ga_max', max_amount: '9.99' }), account({ id: 'ga_ok', min_amount: '10', max_amount: '10.00' })],
      connectorFor,
      req(),
    );
    expect(test.candidates.map((a) => a.id)).toEqual(['ga_ok']);
    expect(test.rejected.map((x) => x.account_id)).toEqual(['ga_eur', 'ga_min', 'ga_max']);
  });

  it('a forced account or connector narrows the choice', () => {
    const accounts = [account({ id: 'ga_a' }), account({ id: 'ga_b' })];
    expect(selectAccounts(accounts, connectorFor, req({ gatewayAccountId: 'ga_b' })).candidates.map((a) => a.id)).toEqual(['ga_b']);
    expect(selectAccounts(accounts, connectorFor, req({ gateway: 'cryptopay' })).candidates).toEqual([]);
  });

  it('respects the connector’s expiry bounds', () => {
    expect(selectAccounts([account({})], connectorFor, req({ expiresIn: 59 })).candidates).toEqual([]);
  });

  it('accepted_assets: a connector needs at least one entry it understands (a rail only where it lists rails)', () => {
    const btcpay = { manifest: btcpayManifest } as Connector;
    const both = (id: string) => (id === 'btcpay' ? btcpay : id === 'sandbox' ? sandbox : undefined);
    const accounts = [account({ id: 'ga_sbx' }), account({ id: 'ga_btc', connector: 'btcpay' })];
    const ln = selectAccounts(accounts, both, req({ acceptedAssets: ['BTC-LN'] }));
    expect(ln.candidates.map((a) => a.id)).toEqual(['ga_btc']);
    expect(ln.rejected).toEqual([{ account_id: 'ga_sbx', reason: 'sandbox cannot take payment in BTC-LN' }]);
    const usdt = selectAccounts(accounts, both, req({ acceptedAssets: ['USDT'] }));
    expect(usdt.candidates.map((a) => a.id)).toEqual(['ga_sbx']);
    expect(selectAccounts(accounts, both, req({ acceptedAssets: ['USDT', 'BTC'] })).candidates).toHaveLength(2);
    expect(assetsFor(sandbox, ['USDT', 'BTC-LN', 'TON'])).toEqual(['USDT', 'TON']);
    expect(assetsFor(btcpay, ['USDT', 'BTC-LN', 'BTC'])).toEqual(['BTC-LN', 'BTC']);
  });
});

describe('whyNoAccountConsidered', () => {
  const paystablecoin = { manifest: { id: 'paystablecoin', modes: ['live'] } } as unknown as Connector;
  const both = (id: string) => ({ sandbox, paystablecoin, cryptopay: { manifest: { id: 'cryptopay', modes: ['live', 'test'] } } as unknown as Connector })[id];

  it.each([
    ['a connector that takes live keys only, with a test key', [], { gateway: 'paystablecoin' }, 'paystablecoin takes live keys only, and this is a test key'],
    ['a connector of another build', [], { gateway: 'retired' }, 'retired is not available in this build'],
    ['a connector not connected', [account({ id: 'ga_sbx' })], { gateway: 'cryptopay' }, 'no enabled cryptopay account is connected in test mode (connect one with POST /v1/gateway-accounts)'],
    ['an account of another connector', [account({ id: 'ga_sbx' })], { gateway: 'cryptopay', gatewayAccountId: 'ga_sbx' }, 'gateway account ga_sbx is a sandbox account, not cryptopay'],
    ['an unknown account', [], { gatewayAccountId: 'ga_x' }, 'gateway account ga_x is not an enabled test-mode account of yours (unknown, deleted, disabled, or of the other mode)'],
    ['no live account yet', [], { livemode: true }, 'no gateway account is connected in live mode yet (connect one with POST /v1/gateway-accounts; test keys use the built-in sandbox)'],
  ])('%s', (_name, accounts, over, why) => {
    const request = req(over as Partial<Parameters<typeof selectAccounts>[2]>);
    expect(selectAccounts(accounts, both, request)).toEqual({ candidates: [], rejected: [] });
    expect(whyNoAccountConsidered(accounts, both, request)).toBe(why);
  });
});

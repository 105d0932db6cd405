import type { CheckoutOption, SelectedGateway } from '../checkout-view.js';
import type { Messages } from './i18n/index.js';
import { isTelegramLink, safeLink } from './safe-url.js';

/**
 * How each upstream looks to the buyer: its name on the choosing screen, and which payment screen
 * its payment details call for. Connector ids are plain strings here so that a connector this
 * table does not know yet still gets a sensible card and screen.
 */

/** What the buyer does on the payment screen. */
export type PaymentScreen =
  /** Open a Telegram deep link (button) or scan it (QR). */
  | { kind: 'telegram'; url: string }
  /** Send exactly `amount` of `asset` to `address` on `network`. */
  | { kind: 'address'; address: string; amount: string; asset: string; network: string | null }
  /** On-chain Bitcoin, with a Lightning invoice as well when the upstream made one. */
  | { kind: 'bitcoin'; address: string; amount: string | null; bolt11: string | null }
  | { kind: 'lightning'; bolt11: string; amount: string | null }
  /** An upstream we only have a page for: a "Pay" button to it. */
  | { kind: 'hosted'; url: string }
  /** The sandbox: simulate buttons instead of a payment. */
  | { kind: 'test' }
  /** Nothing usable yet (no details, or an unsafe link): the page waits for an update. */
  | { kind: 'unavailable' };

export type ScreenKind = PaymentScreen['kind'];

/** Connectors whose pay URL opens a Telegram bot or mini app. */
const TELEGRAM_CONNECTORS = new Set(['cryptopay', 'walletpay', 'xrocket', 'stars']);

export function paymentScreen(selected: SelectedGateway): PaymentScreen {
  const connector: string = selected.connector;
  if (connector === 'sandbox') return { kind: 'test' };
  const p = selected.payment;
  const network = p?.network?.trim().toLowerCase();
  if (p?.bolt11 && (!p.address || network === 'lightning')) return { kind: 'lightning', bolt11: p.bolt11, amount: p.amount ?? null };
  if (p?.address && (network === 'bitcoin' || connector === 'btcpay')) {
    return { kind: 'bitcoin', address: p.address, amount: p.amount ?? null, bolt11: p.bolt11 ?? null };
  }
  // Without the exact amount and asset the buyer would have to guess what to send: wait instead.
  if (p?.address && p.amount && p.asset) return { kind: 'address', address: p.address, amount: p.amount, asset: p.asset, network: p.network ?? null };
  const url = selected.payUrl;
  if (url && (isTelegramLink(url) || TELEGRAM_CONNECTORS.has(connector))) {
    const link = safeLink(url, { telegram: true });
    if (link) return { kind: 'telegram', url: link };
  }
  const hosted = safeLink(url);
  return hosted ? { kind: 'hosted', url: hosted } : { kind: 'unavailable' };
}

/**
 * The text of the screen's QR code and wallet link: the deep link, the bare address, a BIP21
 * `bitcoin:` URI (with `lightning=` when there is an invoice) or a `lightning:` URI.
 */
export function screenUri(screen: PaymentScreen): string | null {
  switch (screen.kind) {
    case 'telegram':
      return screen.url;
    case 'address':
      return screen.address;
    case 'bitcoin': {
      const params = [
        ...(screen.amount ? [`amount=${encodeURIComponent(screen.amount)}`] : []),
        ...(screen.bolt11 ? [`lightning=${encodeURIComponent(screen.bolt11)}`] : []),
      ];
      return `bitcoin:${encodeURIComponent(screen.address)}${params.length ? `?${params.join('&')}` : ''}`;
    }
    case 'lightning':
      return `lightning:${encodeURIComponent(screen.bolt11)}`;
    default:
      return null;
  }
}

export function paymentUri(selected: SelectedGateway): string | null {
  return screenUri(paymentScreen(selected));
}

/** Network names as upstreams spell them ("TRC20", "TRON (TRC20)", "bsc") to one buyer-facing form. */
const NETWORKS: Record<string, string> = {
  TRON: 'TRON (TRC-20)',
  TRX: 'TRON (TRC-20)',
  TRC20: 'TRON (TRC-20)',
  TRONTRC20: 'TRON (TRC-20)',
  BSC: 'BSC (BEP-20)',
  BEP20: 'BSC (BEP-20)',
  BSCBEP20: 'BSC (BEP-20)',
  BNBSMARTCHAIN: 'BSC (BEP-20)',
  BNBSMARTCHAINBEP20: 'BSC (BEP-20)',
  ETH: 'Ethereum (ERC-20)',
  ETHEREUM: 'Ethereum (ERC-20)',
  ERC20: 'Ethereum (ERC-20)',
  ETHEREUMERC20: 'Ethereum (ERC-20)',
  POLYGON: 'Polygon',
  MATIC: 'Polygon',
  SOL: 'Solana',
  SOLANA: 'Solana',
  TON: 'TON',
};

export function networkLabel(network: string): string {
  const key = network.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return NETWORKS[key] ?? network.trim();
}

/** "TRON (TRC-20)" → "TRON": the network as a card or heading names it. */
function networkShort(network: string): string {
  const label = networkLabel(network);
  return label.replace(/\s*\(.*\)$/, '') || label;
}

const NAMES: Record<string, string> = {
  cryptopay: 'Crypto Bot',
  walletpay: 'Wallet',
  xrocket: 'xRocket',
  stars: 'Telegram Stars',
  btcpay: 'Bitcoin / Lightning',
  cln: 'Lightning',
  lnbits: 'Lightning',
  xthonpay: 'USDT (BSC)',
};

const DETAILS: Record<string, keyof Messages> = {
  sandbox: 'optionTest',
  cryptopay: 'optionTelegram',
  xrocket: 'optionTelegram',
  walletpay: 'optionWallet',
  stars: 'optionStars',
  btcpay: 'optionBitcoin',
  cln: 'optionLightning',
  lnbits: 'optionLightning',
  paystablecoin: 'optionStablecoin',
  xthonpay: 'optionBsc',
};

/** BTCPay's rails as accepted_assets spells them. */
const onlyRail = (assets: readonly string[], rail: string) => assets.length > 0 && assets.every((a) => a === rail);

/** The upstream's buyer-facing name; `assets` narrows it where the assets say more (a BTCPay store taking only Lightning). */
export function connectorName(id: string, t: Messages, assets: readonly string[] = []): string {
  if (id === 'sandbox') return t.nameTest;
  if (id === 'paystablecoin') return assets.length ? assets.join(' / ') : t.nameStablecoins;
  if (id === 'btcpay' && onlyRail(assets, 'BTC-LN')) return 'Lightning';
  if (id === 'btcpay' && onlyRail(assets, 'BTC-CHAIN')) return 'Bitcoin';
  return NAMES[id] ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : id);
}

/** The line under the name on an option card. */
export function connectorDetail(id: string, t: Messages, assets: readonly string[] = []): string {
  if (id === 'btcpay' && onlyRail(assets, 'BTC-LN')) return t.optionLightning;
  if (id === 'btcpay' && onlyRail(assets, 'BTC-CHAIN')) return t.optionBitcoinChain;
  return t[DETAILS[id] ?? 'optionOther'];
}

const MAX_ASSETS_SHOWN = 6;

/** One option card: name, detail line, the assets to list (BTCPay rails read as BTC) and how many more there are. */
export function optionCard(option: CheckoutOption, t: Messages): { name: string; detail: string; assets: string[]; moreAssets: number } {
  const id: string = option.id;
  const name = connectorName(id, t, option.assets);
  const assets = [...new Set(option.assets.map((a) => (a === 'BTC-CHAIN' || a === 'BTC-LN' ? 'BTC' : a)))];
  // A name that already lists the assets (stablecoins, "USDT (BSC)", Bitcoin) needs no chips repeating them.
  const shown = assets.every((a) => name.includes(a) || (a === 'BTC' && /bitcoin|lightning/i.test(name))) ? [] : assets;
  return { name, detail: connectorDetail(id, t, option.assets), assets: shown.slice(0, MAX_ASSETS_SHOWN), moreAssets: Math.max(0, shown.length - MAX_ASSETS_SHOWN) };
}

/** The heading name of the payment screen: what is paid and where ("USDT (TRON)", "Bitcoin / Lightning"). */
export function selectedName(selected: SelectedGateway, t: Messages): string {
  const screen = paymentScreen(selected);
  switch (screen.kind) {
    case 'test':
      return t.nameTest;
    case 'address':
      return screen.network ? `${screen.asset} (${networkShort(screen.network)})` : screen.asset;
    case 'bitcoin':
      return screen.bolt11 ? 'Bitcoin / Lightning' : 'Bitcoin';
    case 'lightning':
      return 'Lightning';
    default:
      return connectorName(selected.connector, t);
  }
}

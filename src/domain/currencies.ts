/**
 * Currency table for Switchyard.
 *
 * Fiat entries use ISO 4217 minor units. Crypto entries use the number of
 * decimals that payment gateways (CryptoBot, CryptoCloud, Heleket, NOWPayments,
 * on-chain token contracts, ...) actually accept for the asset. In-app entries are
 * currencies that exist only inside one platform (Telegram Stars): neither fiat
 * nor a transferable crypto asset, so no fiat or crypto upstream takes them and
 * they are never an `accepted_assets` entry.
 *
 * Codes are upper-case and matched exactly: `findCurrency('usd')` is undefined.
 * Pure data, no I/O.
 */

export type CurrencyKind = 'fiat' | 'crypto' | 'in_app';

export interface Currency {
  readonly code: string;
  readonly kind: CurrencyKind;
  /** Maximum number of fraction digits an amount in this currency may have (0..18). */
  readonly decimals: number;
  readonly name: string;
}

type Row = readonly [code: string, decimals: number, name: string];

const FIAT: readonly Row[] = [
  // Major / reserve currencies
  ['USD', 2, 'US Dollar'],
  ['EUR', 2, 'Euro'],
  ['GBP', 2, 'Pound Sterling'],
  ['CHF', 2, 'Swiss Franc'],
  ['JPY', 0, 'Yen'],
  ['CNY', 2, 'Yuan Renminbi'],
  ['CAD', 2, 'Canadian Dollar'],
  ['AUD', 2, 'Australian Dollar'],
  ['NZD', 2, 'New Zealand Dollar'],
  ['SGD', 2, 'Singapore Dollar'],
  ['HKD', 2, 'Hong Kong Dollar'],
  // CIS / Caucasus / Central Asia
  ['RUB', 2, 'Russian Ruble'],
  ['UAH', 2, 'Hryvnia'],
  ['KZT', 2, 'Tenge'],
  ['BYN', 2, 'Belarusian Ruble'],
  ['UZS', 2, 'Uzbekistan Sum'],
  ['GEL', 2, 'Lari'],
  ['AMD', 2, 'Armenian Dram'],
  ['AZN', 2, 'Azerbaijan Manat'],
  ['KGS', 2, 'Som'],
  ['TJS', 2, 'Somoni'],
  ['MDL', 2, 'Moldovan Leu'],
  ['MNT', 2, 'Tugrik'],
  // Europe
  ['TRY', 2, 'Turkish Lira'],
  ['PLN', 2, 'Zloty'],
  ['CZK', 2, 'Czech Koruna'],
  ['HUF', 2, 'Forint'],
  ['RON', 2, 'Romanian Leu'],
  ['RSD', 2, 'Serbian Dinar'],
  ['SEK', 2, 'Swedish Krona'],
  ['NOK', 2, 'Norwegian Krone'],
  ['DKK', 2, 'Danish Krone'],
  ['ISK', 0, 'Iceland Krona'],
  // Middle East / Africa
  ['AED', 2, 'UAE Dirham'],
  ['SAR', 2, 'Saudi Riyal'],
  ['QAR', 2, 'Qatari Rial'],
  ['KWD', 3, 'Kuwaiti Dinar'],
  ['BHD', 3, 'Bahraini Dinar'],
  ['OMR', 3, 'Rial Omani'],
  ['JOD', 3, 'Jordanian Dinar'],
  ['IQD', 3, 'Iraqi Dinar'],
  ['ILS', 2, 'New Israeli Sheqel'],
  ['EGP', 2, 'Egyptian Pound'],
  ['MAD', 2, 'Moroccan Dirham'],
  ['TND', 3, 'Tunisian Dinar'],
  ['NGN', 2, 'Naira'],
  ['KES', 2, 'Kenyan Shilling'],
  ['GHS', 2, 'Ghana Cedi'],
  ['UGX', 0, 'Uganda Shilling'],
  ['ZAR', 2, 'Rand'],
  ['XOF', 0, 'CFA Franc BCEAO'],
  ['XAF', 0, 'CFA Franc BEAC'],
  // Asia
  ['INR', 2, 'Indian Rupee'],
  ['PKR', 2, 'Pakistan Rupee'],
  ['BDT', 2, 'Taka'],
  ['LKR', 2, 'Sri Lanka Rupee'],
  ['NPR', 2, 'Nepalese Rupee'],
  ['IDR', 2, 'Rupiah'],
  ['THB', 2, 'Baht'],
  ['VND', 0, 'Dong'],
  ['KRW', 0, 'Won'],
  ['TWD', 2, 'New Taiwan Dollar'],
  ['PHP', 2, 'Philippine Peso'],
  ['MYR', 2, 'Malaysian Ringgit'],
  // Americas
  ['BRL', 2, 'Brazilian Real'],
  ['MXN', 2, 'Mexican Peso'],
  ['ARS', 2, 'Argentine Peso'],
  ['CLP', 0, 'Chilean Peso'],
  ['COP', 2, 'Colombian Peso'],
  ['PEN', 2, 'Sol'],
  ['UYU', 2, 'Peso Uruguayo'],
  ['PYG', 0, 'Guarani'],
];

const CRYPTO: readonly Row[] = [
  ['USDT', 6, 'Tether USD'],
  ['USDC', 6, 'USD Coin'],
  ['USD1', 6, 'World Liberty USD1'],
  ['DAI', 18, 'Dai'],
  ['BTC', 8, 'Bitcoin'],
  ['ETH', 18, 'Ether'],
  ['LTC', 8, 'Litecoin'],
  ['BCH', 8, 'Bitcoin Cash'],
  ['DOGE', 8, 'Dogecoin'],
  ['XMR', 12, 'Monero'],
  ['BNB', 18, 'BNB'],
  ['TRX', 6, 'TRON'],
  ['SOL', 9, 'Solana'],
  ['TON', 9, 'Toncoin'],
  ['NOT', 9, 'Notcoin'],
  ['DOGS', 9, 'DOGS'],
  ['MATIC', 18, 'Polygon (MATIC)'],
  ['POL', 18, 'Polygon Ecosystem Token'],
  ['XRP', 6, 'XRP'],
];

const IN_APP: readonly Row[] = [
  // Telegram Stars: whole stars only; the code Telegram's Bot API uses.
  ['XTR', 0, 'Telegram Stars'],
];

function buildTable(): Map<string, Currency> {
  const table = new Map<string, Currency>();
  const add = (kind: CurrencyKind, rows: readonly Row[]): void => {
    for (const [code, decimals, name] of rows) {
      if (table.has(code)) throw new Error(`duplicate currency code ${code}`);
      table.set(code, Object.freeze({ code, kind, decimals, name }));
    }
  };
  add('fiat', FIAT);
  add('crypto', CRYPTO);
  add('in_app', IN_APP);
  return table;
}

export const CURRENCIES: ReadonlyMap<string, Currency> = buildTable();

/** Exact lookup; codes are upper-case (`'USD'`, not `'usd'`). */
export function findCurrency(code: string): Currency | undefined {
  return CURRENCIES.get(code);
}

export function isCrypto(code: string): boolean {
  return findCurrency(code)?.kind === 'crypto';
}

export function isFiat(code: string): boolean {
  return findCurrency(code)?.kind === 'fiat';
}

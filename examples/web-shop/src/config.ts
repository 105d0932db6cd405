/** The shop's settings, read once from the environment; a missing or bad one stops it with its name. */
import type { Product } from './pages.js';

export interface ShopConfig {
  switchyardUrl: string;
  apiKey: string;
  webhookSecret: string;
  shopUrl: string;
  port: number;
  shopName: string;
  product: Product;
}

/** Switchyard's amount format: a decimal string, no sign, no exponent. */
const MONEY = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/;
const CURRENCY = /^[A-Z][A-Z0-9]{1,9}$/;

export function loadConfig(env: NodeJS.ProcessEnv): ShopConfig {
  const read = (name: string, fallback?: string): string => {
    const value = env[name]?.trim() || fallback;
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  };
  const check = (name: string, value: string, ok: boolean, what: string): string => {
    if (!ok) throw new Error(`${name} must be ${what} (got ${JSON.stringify(value)})`);
    return value;
  };
  const isHttpUrl = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

  const port = Number(read('PORT', '4000'));
  check('PORT', String(port), Number.isInteger(port) && port > 0 && port < 65536, 'a TCP port');
  const switchyardUrl = read('SWITCHYARD_URL');
  const shopUrl = read('SHOP_URL', `http://localhost:${port}`);
  const webhookSecret = read('SWITCHYARD_WEBHOOK_SECRET');
  const price = read('PRODUCT_PRICE', '12.50');
  const currency = read('PRODUCT_CURRENCY', 'USD');
  return {
    switchyardUrl: check('SWITCHYARD_URL', switchyardUrl, isHttpUrl(switchyardUrl), 'an http(s) URL'),
    apiKey: read('SWITCHYARD_API_KEY'),
    webhookSecret: check('SWITCHYARD_WEBHOOK_SECRET', webhookSecret, webhookSecret.startsWith('whsec_'), "the endpoint's whsec_… secret"),
    shopUrl: check('SHOP_URL', shopUrl, isHttpUrl(shopUrl), 'an http(s) URL').replace(/\/+$/, ''),
    port,
    shopName: read('SHOP_NAME', 'Switchyard Mugs'),
    product: {
      name: read('PRODUCT_NAME', 'Enamel camp mug'),
      description: read('PRODUCT_DESCRIPTION', 'Speckled blue enamel, 350 ml, rolled steel rim. Takes a knock on the trail and goes in the dishwasher at home.'),
      price: check('PRODUCT_PRICE', price, MONEY.test(price), 'a decimal amount such as 12.50'),
      currency: check('PRODUCT_CURRENCY', currency, CURRENCY.test(currency), 'an upper-case currency code such as USD'),
    },
  };
}

/** Starts the shop from the environment (see README.md for the variables). */
import { Switchyard } from '@switchyard/client';
import { loadConfig, type ShopConfig } from './config.js';
import { createShop } from './shop.js';

function configFromEnv(): ShopConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    console.error(`web-shop: ${(err as Error).message}`);
    process.exit(1);
  }
}

const config = configFromEnv();
const switchyard = new Switchyard({ apiKey: config.apiKey, baseUrl: config.switchyardUrl });
const app = createShop({ switchyard, webhookSecret: config.webhookSecret, shopUrl: config.shopUrl, shopName: config.shopName, product: config.product });

const server = app.listen(config.port, () => {
  console.log(`web-shop: ${config.shopName} at ${config.shopUrl} (port ${config.port}), Switchyard at ${config.switchyardUrl}`);
  console.log(`web-shop: Switchyard's webhook endpoint for this shop: ${config.shopUrl}/webhooks/switchyard`);
});
server.on('error', (err) => {
  console.error(`web-shop: ${err.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));

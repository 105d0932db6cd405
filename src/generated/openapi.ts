// Generated from openapi/openapi.yaml by scripts/openapi-types.mjs (npm run openapi:types).
// Do not edit: change the spec and regenerate. CI fails when this file is stale.

export declare namespace Components {
    export type HeaderParameters = {
        IdempotencyKey?: Parameters.IdempotencyKey;
    }
    namespace Parameters {
        export type ApiKeyId = /**
         * An API key id, `key_` followed by 26 characters.
         * example:
         * key_01JWRF85804TD8ZTHC0FG23ZN8
         */
        Schemas.ApiKeyId /* ^key_[0-9A-Za-z]{26}$ */;
        export type CheckoutLang = "en" | "ru";
        export type CheckoutToken = string;
        export type EventId = /**
         * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
         * example:
         * evt_01JWRFCNWPR0RPR58K7WT05EK9
         */
        Schemas.EventId /* ^evt_[0-9A-Za-z]{26}$ */;
        export type GatewayAccountId = /**
         * A gateway account id, `ga_` followed by 26 characters.
         * example:
         * ga_01JWRF867835BD1EWQACN7ENYP
         */
        Schemas.GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
        export type IdempotencyKey = string;
        export type InvoiceId = /**
         * An invoice id, `inv_` followed by 26 characters.
         * example:
         * inv_01JWRF885RR8D8Z0K51D16FDPH
         */
        Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        export type Limit = number;
        export type StartingAfter = string;
        export type TenantId = /**
         * A tenant id, `ten_` followed by 26 characters.
         * example:
         * ten_01JWRF848RBXKYA92YQGCZFXH8
         */
        Schemas.TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
        export type UpstreamWebhookId = /**
         * A stored upstream webhook's id, `uwh_` followed by 26 characters.
         * example:
         * uwh_01JWRFCN2Q8V5TXHZB7M4KD1RA
         */
        Schemas.UpstreamWebhookId /* ^uwh_[0-9A-Za-z]{26}$ */;
        export type WebhookEndpointId = /**
         * A webhook endpoint id, `we_` followed by 26 characters.
         * example:
         * we_01JWRF46KVNQJHX3XPF3KFM038
         */
        Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
    }
    export type PathParameters = {
        CheckoutToken?: Parameters.CheckoutToken;
        InvoiceId?: Parameters.InvoiceId;
        TenantId?: Parameters.TenantId;
        ApiKeyId?: Parameters.ApiKeyId;
        WebhookEndpointId?: Parameters.WebhookEndpointId;
        EventId?: Parameters.EventId;
        GatewayAccountId?: Parameters.GatewayAccountId;
        UpstreamWebhookId?: Parameters.UpstreamWebhookId;
    }
    export type QueryParameters = {
        CheckoutLang?: Parameters.CheckoutLang;
        Limit?: Parameters.Limit;
        StartingAfter?: Parameters.StartingAfter;
    }
    namespace Responses {
        export type BadGateway = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type BadRequest = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type Conflict = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type Forbidden = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type InternalError = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type NotFound = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type PayloadTooLarge = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type RateLimited = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type ServiceUnavailable = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type Unauthorized = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type UnprocessableEntity = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
        export type UnsupportedMediaType = /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        Schemas.Problem;
    }
    namespace Schemas {
        /**
         * A crypto asset code (`USDT`, `BTC`), optionally with a payment rail (`BTC-CHAIN`, `BTC-LN`).
         * example:
         * BTC-LN
         */
        export type AcceptedAsset = string; // ^[A-Z][A-Z0-9]{1,9}(-(CHAIN|LN))?$
        /**
         * A tenant API key. The secret itself is never shown after creation.
         */
        export type ApiKey = {
            id: /**
             * An API key id, `key_` followed by 26 characters.
             * example:
             * key_01JWRF85804TD8ZTHC0FG23ZN8
             */
            ApiKeyId /* ^key_[0-9A-Za-z]{26}$ */;
            object: "api_key";
            tenant_id: /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
            mode: /**
             * `live` for real money, `test` for the sandbox and upstream testnets.
             * example:
             * test
             */
            Mode;
            /**
             * example:
             * staging bot
             */
            name: string | null;
            /**
             * The visible start of the key, to recognise it.
             * example:
             * sy_test_k1XB
             */
            prefix: string;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * When the key last authenticated a request (`null` if never).
             */
            last_used_at: string | null; // date-time
            /**
             * When the key was revoked (`null` while it is valid).
             */
            revoked_at: string | null; // date-time
        }
        export type ApiKeyCreate = {
            mode: /**
             * `live` for real money, `test` for the sandbox and upstream testnets.
             * example:
             * test
             */
            Mode;
            /**
             * A label for the key, for your own records.
             * example:
             * staging bot
             */
            name?: string;
        }
        /**
         * An API key id, `key_` followed by 26 characters.
         * example:
         * key_01JWRF85804TD8ZTHC0FG23ZN8
         */
        export type ApiKeyId = string; // ^key_[0-9A-Za-z]{26}$
        export type ApiKeyList = {
            object: "list";
            data: /* A tenant API key. The secret itself is never shown after creation. */ ApiKey[];
            has_more: boolean;
        }
        /**
         * A newly issued API key, with its secret. The secret is shown this once only.
         */
        export type ApiKeyWithSecret = {
            id: /**
             * An API key id, `key_` followed by 26 characters.
             * example:
             * key_01JWRF85804TD8ZTHC0FG23ZN8
             */
            ApiKeyId /* ^key_[0-9A-Za-z]{26}$ */;
            object: "api_key";
            tenant_id: /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
            mode: /**
             * `live` for real money, `test` for the sandbox and upstream testnets.
             * example:
             * test
             */
            Mode;
            /**
             * example:
             * staging bot
             */
            name: string | null;
            /**
             * The visible start of the key, to recognise it.
             * example:
             * sy_test_k1XB
             */
            prefix: string;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            last_used_at: string | null; // date-time
            revoked_at: string | null; // date-time
            /**
             * The full API key, shown once; store it now. Switchyard keeps only a hash.
             * example:
             * sy_test_k1XBu-UUdAq0WHumuuttuM6SWxfLjRQMlKrCfxPcnnA
             */
            secret: string; // ^sy_(live|test)_[A-Za-z0-9_-]{43,}$
        }
        /**
         * A gateway account's balance at its upstream, as the upstream reported it just now.
         */
        export type Balance = {
            object: "balance";
            /**
             * The gateway account's id.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            account_id: string;
            /**
             * One entry per currency the upstream reports.
             */
            balances: {
                /**
                 * example:
                 * USDT
                 */
                currency: string;
                /**
                 * What can be withdrawn or spent now (see `Money`).
                 * example:
                 * 1250.75
                 */
                available: string; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
                /**
                 * What the upstream is holding back, e.g. pending withdrawals (see `Money`).
                 * example:
                 * 25
                 */
                onhold: string; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
            }[];
        }
        /**
         * Connects a store on a BTCPay Server; `config.base_url` is required.
         */
        export type BtcPayAccountCreate = {
            connector: "btcpay";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /**
             * The configuration of a BTCPay Server account (`connector: btcpay`). `base_url`, the
             * address of your BTCPay Server (e.g. `https://btcpay.example.com`), is required: an
             * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
             *
             */
            BtcPayConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a BTCPay Server account (`connector: btcpay`). `base_url`, the
         * address of your BTCPay Server (e.g. `https://btcpay.example.com`), is required: an
         * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        export type BtcPayConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * Confirmations before an on-chain payment counts as settled (`paid`): HighSpeed 0,
             * MediumSpeed 1, LowMediumSpeed 2, LowSpeed 6. Default: the store's setting.
             *
             * example:
             * MediumSpeed
             */
            speed_policy?: "HighSpeed" | "MediumSpeed" | "LowMediumSpeed" | "LowSpeed";
            /**
             * What `POST /v1/invoices/{id}/refund` gives back: `RateThen` (default) the bitcoin that
             * was paid, `CurrentRate` its value at today's rate, `Fiat` the invoice's fiat amount.
             *
             * example:
             * RateThen
             */
            refund_variant?: "RateThen" | "CurrentRate" | "Fiat";
            /**
             * The rail a refund is paid out on (default `BTC-CHAIN`).
             * example:
             * BTC-CHAIN
             */
            refund_payment_method?: "BTC-CHAIN" | "BTC-LN";
        }
        export type CheckoutChoice = {
            option: /**
             * An upstream connector id: `sandbox` (test mode only; invoices are driven by
             * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
             * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
             * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
             * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
             * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
             * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
             * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
             * invoices). Later upstreams add values here.
             *
             * example:
             * cryptopay
             */
            ConnectorId;
        }
        export type CheckoutSettings = {
            object: "checkout_settings";
            /**
             * The name buyers see (`null` shows your tenant name).
             * example:
             * Acme Store
             */
            display_name: string | null;
            /**
             * Where buyers can ask for help (http(s) or `mailto:`), shown on the page.
             * example:
             * https://t.me/acme_support
             */
            support_url: string | null;
        }
        export type CheckoutSettingsUpdate = {
            display_name?: string | null;
            support_url?: string | null; // uri
        }
        export type CheckoutSimulate = {
            status: "paid" | "expired" | "failed";
        }
        /**
         * What the buyer's page shows. Nothing here is private to the tenant.
         */
        export type CheckoutState = {
            object: "checkout_state";
            status: /**
             * `pending` → `processing` (payment seen, awaiting confirmation) → `paid` → `refunded`; or
             * `expired`, `cancelled`, `failed`. `refunded`, `expired`, `cancelled` and `failed` are
             * terminal; `paid` moves only to `refunded` (a refund through the API, or one the upstream
             * reports). States only move forward.
             *
             * example:
             * pending
             */
            InvoiceStatus;
            /**
             * Changes whenever anything the page shows changes.
             */
            version: string;
            merchant: {
                name: string;
                support_url: string | null;
            };
            amount: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            currency: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
            description: string | null;
            expires_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            test_mode: boolean;
            gateway_selection: /**
             * `auto` (default): Switchyard routes the invoice to one of your accounts now. `buyer`: no
             * upstream invoice is opened yet; `gateway` is `null`, `pay_url` is the `checkout_url`, and
             * the buyer picks among your eligible gateways on the hosted checkout page (see *Checkout*).
             * Cannot be combined with `gateway` or `gateway_account_id`.
             *
             * example:
             * auto
             */
            GatewaySelection;
            can_choose: boolean;
            options: {
                id: /**
                 * An upstream connector id: `sandbox` (test mode only; invoices are driven by
                 * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
                 * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
                 * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
                 * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
                 * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
                 * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
                 * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
                 * invoices). Later upstreams add values here.
                 *
                 * example:
                 * cryptopay
                 */
                ConnectorId;
                assets: string[];
                selected: boolean;
            }[];
            selected: {
                connector: /**
                 * An upstream connector id: `sandbox` (test mode only; invoices are driven by
                 * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
                 * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
                 * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
                 * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
                 * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
                 * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
                 * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
                 * invoices). Later upstreams add values here.
                 *
                 * example:
                 * cryptopay
                 */
                ConnectorId;
                pay_url: string | null;
                payment: /**
                 * Payment instructions for address-style upstreams (send `amount` of `asset` on `network`
                 * to `address`, or pay the Lightning invoice `bolt11`), so a bot can show its own QR
                 * codes; `null` for hosted-page-only upstreams, which use `pay_url`. BTCPay Server gives
                 * both: `pay_url` is its checkout page, `payment` the on-chain address (`network:
                 * bitcoin`) and the BOLT11 (`network: lightning` when only Lightning is offered).
                 *
                 */
                InvoicePayment;
            } | null;
            paid: {
                amount: /**
                 * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
                 * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
                 * `"100"`). Never a JSON number.
                 *
                 * example:
                 * 9.99
                 */
                Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
                currency: /**
                 * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
                 * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
                 *
                 * example:
                 * USDT
                 */
                CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
                exception: "underpaid" | "overpaid" | "late" | null;
            } | null;
            return_url: string | null;
            fail_return_url: string | null;
        }
        /**
         * Connects a Core Lightning node through its clnrest plugin; `config.base_url` is required.
         */
        export type ClnAccountCreate = {
            connector: "cln";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /**
             * The configuration of a Core Lightning account (`connector: cln`). `base_url`, the address
             * of your node's `clnrest` plugin (e.g. `https://node.example.com:3010`), is required: an
             * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
             *
             */
            ClnConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a Core Lightning account (`connector: cln`). `base_url`, the address
         * of your node's `clnrest` plugin (e.g. `https://node.example.com:3010`), is required: an
         * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        export type ClnConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * Your node's id (`lightning-cli getinfo` → `id`). When set it is sent as the `Nodeid`
             * header, which `clnrest` of Core Lightning v23.08 requires; later versions ignore it.
             *
             * example:
             * 02a3f5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5
             */
            node_id?: string; // ^0[23][0-9a-fA-F]{64}$
            /**
             * How long one `waitanyinvoice` long poll is held open at the node before it is asked
             * again (default 30). Keep it below the idle timeout of any proxy between Switchyard
             * and the node.
             *
             * example:
             * 30
             */
            wait_timeout_seconds?: number;
        }
        /**
         * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
         * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
         * link-local address is refused (`422 url_not_allowed`) unless the operator allows
         * such addresses.
         *
         * example:
         * https://cryptopay-proxy.example.com/api
         */
        export type ConfigBaseUrl = string; // uri ^[Hh][Tt][Tt][Pp][Ss]?://
        /**
         * An upstream gateway Switchyard can route invoices to.
         */
        export type Connector = {
            /**
             * The connector id, as used in `gateway` and webhook URLs.
             * example:
             * sandbox
             */
            id: string;
            object: "connector";
            /**
             * Display name.
             * example:
             * Sandbox
             */
            name: string;
            /**
             * The key modes that may use this connector.
             */
            modes: /**
             * `live` for real money, `test` for the sandbox and upstream testnets.
             * example:
             * test
             */
            Mode[];
            /**
             * The credentials a gateway account of this connector needs.
             */
            credential_fields: ConnectorCredentialField[];
            /**
             * The non-secret configuration a gateway account of this connector takes.
             */
            config_fields: ConnectorConfigField[];
            capabilities: ConnectorCapabilities;
        }
        export type ConnectorCapabilities = {
            /**
             * Currencies the connector accepts; empty means any currency Switchyard supports.
             */
            currencies: string[];
            /**
             * Whether it takes fiat-priced invoices, crypto-priced invoices, or both; `in_app` is a
             * currency that exists only inside one platform (Telegram Stars, `XTR`).
             *
             */
            currency_kinds: ("fiat" | "crypto" | "in_app")[];
            /**
             * The `accepted_assets` entries this connector understands (BTCPay Server: `BTC`,
             * `BTC-CHAIN`, `BTC-LN`; LNbits: `BTC`, `BTC-LN`); `null` when it takes plain crypto
             * asset codes.
             *
             */
            payment_assets: string[] | null;
            /**
             * Shortest allowed `expires_in`, in seconds.
             * example:
             * 60
             */
            min_expires_in: number;
            /**
             * Longest allowed `expires_in`, in seconds.
             * example:
             * 2678400
             */
            max_expires_in: number;
            /**
             * Invoices can be cancelled at the upstream.
             */
            cancel: boolean;
            /**
             * A paid invoice can be refunded with `POST /v1/invoices/{id}/refund` (others answer `422 refund_not_supported`).
             */
            refund: boolean;
            /**
             * The upstream can be asked for an invoice's state.
             */
            sync: boolean;
            /**
             * The upstream reports an account balance.
             */
            balance: boolean;
            /**
             * The upstream pushes webhooks (otherwise Switchyard polls).
             */
            webhooks: boolean;
        }
        export type ConnectorConfigField = {
            /**
             * example:
             * base_url
             */
            name: string;
            /**
             * example:
             * Base URL of the upstream API, to point the account at a testnet or a proxy.
             */
            description: string;
            required: boolean;
        }
        export type ConnectorCredentialField = {
            /**
             * example:
             * api_key
             */
            name: string;
            /**
             * Whether the value is a secret (stored encrypted, never returned).
             */
            secret: boolean;
            /**
             * example:
             * The API key from the upstream's merchant dashboard.
             */
            description: string;
            /**
             * Whether an account must have it (Telegram Stars' `webhook_secret` is optional).
             */
            required: boolean;
        }
        /**
         * An upstream connector id: `sandbox` (test mode only; invoices are driven by
         * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
         * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
         * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
         * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
         * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
         * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
         * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
         * invoices). Later upstreams add values here.
         *
         * example:
         * cryptopay
         */
        export type ConnectorId = "sandbox" | "cryptopay" | "walletpay" | "btcpay" | "xthonpay" | "paystablecoin" | "xrocket" | "lnbits" | "cln" | "stars";
        export type ConnectorList = {
            object: "list";
            data: /* An upstream gateway Switchyard can route invoices to. */ Connector[];
            has_more: boolean;
        }
        /**
         * Connects a Crypto Pay app.
         */
        export type CryptoPayAccountCreate = {
            connector: "cryptopay";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The configuration of a Crypto Pay account (`connector: cryptopay`). */ CryptoPayConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a Crypto Pay account (`connector: cryptopay`).
         */
        export type CryptoPayConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * Which Crypto Pay network the app is on (@CryptoBot or @CryptoTestnetBot).
             * example:
             * testnet
             */
            environment?: "mainnet" | "testnet";
        }
        /**
         * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
         * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
         *
         * example:
         * USDT
         */
        export type CurrencyCode = string; // ^[A-Z][A-Z0-9]{1,9}$
        /**
         * Who pays. Some connectors need a field (Telegram Wallet Pay needs `telegram_user_id`).
         */
        export type Customer = {
            /**
             * The buyer's Telegram user id.
             * example:
             * 123456789
             */
            telegram_user_id?: number;
            /**
             * example:
             * buyer@example.com
             */
            email?: string; // email
        }
        export type DeletedGatewayAccount = {
            id: /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
            object: "gateway_account";
            deleted: true;
        }
        export type DeletedWebhookEndpoint = {
            id: /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
            object: "webhook_endpoint";
            deleted: true;
        }
        /**
         * The sending of one event to one endpoint, with every attempt.
         *
         */
        export type Delivery = {
            id: /**
             * A delivery id, `del_` followed by 26 characters.
             * example:
             * del_01JWRFCNWRZHP78QHJZ6W3SS3E
             */
            DeliveryId /* ^del_[0-9A-Za-z]{26}$ */;
            object: "delivery";
            /**
             * example:
             * evt_01JWRFCNWPR0RPR58K7WT05EK9
             */
            event_id: string;
            /**
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            endpoint_id: string;
            /**
             * The endpoint's URL when the delivery was made.
             * example:
             * https://shop.example.com/webhooks/switchyard
             */
            endpoint_url: string;
            /**
             * `relay`: made when the event happened, one per subscribed endpoint. `manual`: made by
             * `POST /v1/events/{id}/redeliver` or `POST /v1/webhook-endpoints/{id}/test`.
             *
             */
            origin: "relay" | "manual";
            /**
             * `pending`: not yet succeeded, more attempts to come. `succeeded`: an attempt got a
             * 2xx. `failed`: every attempt failed (or the endpoint was disabled or deleted); no
             * more attempts will be made.
             *
             */
            status: "pending" | "succeeded" | "failed";
            /**
             * How many attempts have been made (the length of `attempts`).
             * example:
             * 2
             */
            attempt_count: number;
            /**
             * When the next attempt is due; `null` once the delivery is `succeeded` or `failed`.
             */
            next_attempt_at: string | null; // date-time
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * Every attempt, oldest first.
             */
            attempts: /* One HTTP request to the endpoint. */ DeliveryAttempt[];
        }
        /**
         * One HTTP request to the endpoint.
         */
        export type DeliveryAttempt = {
            /**
             * 1 for the first attempt of the delivery, 2 for the first retry, …
             * example:
             * 1
             */
            attempt: number;
            attempted_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * `true` when the endpoint answered 2xx within 15 s.
             */
            succeeded: boolean;
            /**
             * The endpoint's HTTP status, `null` when there was no answer (timeout, connection error, refused address).
             * example:
             * 503
             */
            status_code: number | null;
            /**
             * From sending the request to the end of the answer (or the failure).
             * example:
             * 42
             */
            duration_ms: number;
            /**
             * Why the attempt failed, for humans, e.g. `HTTP 503`, `timeout after 15000 ms`,
             * `redirect (302) not followed`, `address not allowed: …`, `ECONNREFUSED: …`; `null`
             * when it succeeded.
             *
             * example:
             * timeout after 15000 ms
             */
            error: string | null;
            /**
             * The first 1 KiB of the endpoint's answer, `null` when there was no answer.
             * example:
             * Service Unavailable
             */
            response_body: string | null;
        }
        /**
         * A delivery id, `del_` followed by 26 characters.
         * example:
         * del_01JWRFCNWRZHP78QHJZ6W3SS3E
         */
        export type DeliveryId = string; // ^del_[0-9A-Za-z]{26}$
        export type DeliveryList = {
            object: "list";
            data: /**
             * The sending of one event to one endpoint, with every attempt.
             *
             */
            Delivery[];
            has_more: boolean;
        }
        /**
         * Something that happened, as sent to your webhook endpoints. The webhook body is
         * `{"id", "type", "timestamp", "data"}` with `timestamp` equal to `created_at`.
         *
         */
        export type Event = {
            id: /**
             * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
             * example:
             * evt_01JWRFCNWPR0RPR58K7WT05EK9
             */
            EventId /* ^evt_[0-9A-Za-z]{26}$ */;
            object: "event";
            type: /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            EventType;
            /**
             * `true` for live mode, `false` for test mode.
             */
            livemode: boolean;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * The event's payload, exactly as sent: the `Invoice` (as it was when the event
             * happened) for `invoice.*` events; the `WebhookEndpoint` (as it was disabled) for
             * `webhook_endpoint.disabled`; `{"object": "webhook_test", "endpoint_id": "we_…"}` for
             * `webhook.test`.
             *
             */
            data: {
                [name: string]: any;
            };
        }
        /**
         * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
         * example:
         * evt_01JWRFCNWPR0RPR58K7WT05EK9
         */
        export type EventId = string; // ^evt_[0-9A-Za-z]{26}$
        export type EventList = {
            object: "list";
            data: /**
             * Something that happened, as sent to your webhook endpoints. The webhook body is
             * `{"id", "type", "timestamp", "data"}` with `timestamp` equal to `created_at`.
             *
             */
            Event[];
            has_more: boolean;
        }
        /**
         * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
         * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
         * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
         * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
         * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
         * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
         * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
         * Handle unknown types gracefully: new ones may be added.
         *
         * example:
         * invoice.paid
         */
        export type EventType = "invoice.created" | "invoice.processing" | "invoice.paid" | "invoice.expired" | "invoice.cancelled" | "invoice.failed" | "invoice.late_payment" | "invoice.refunded" | "webhook_endpoint.disabled" | "webhook.test";
        /**
         * A connected upstream account. Every field is always present; fields that do not apply
         * are `null`. Credentials are never returned.
         *
         */
        export type GatewayAccount = {
            id: /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
            object: "gateway_account";
            /**
             * `true` for live mode, `false` for test mode; the account takes only invoices of its mode.
             */
            livemode: boolean;
            /**
             * The connector id (see `ConnectorId`).
             * example:
             * cryptopay
             */
            connector: string;
            /**
             * example:
             * Crypto Pay
             */
            name: string | null;
            config: /**
             * An account's non-secret configuration, in the schema of the account's connector
             * (`CryptoPayConfig`, `WalletPayConfig`, `BtcPayConfig`, `XthonPayConfig`,
             * `PayStablecoinConfig`, `XRocketConfig`, `LnbitsConfig`, `ClnConfig`, `StarsConfig`, `SandboxConfig`); it never contains credentials. A key the
             * account's connector does not take is refused (`422 validation_failed`, naming
             * `/body/config/<key>`).
             *
             */
            GatewayAccountConfig;
            /**
             * Whether new invoices are routed to the account.
             */
            enabled: boolean;
            /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            priority: number;
            /**
             * Share of invoices among accounts of equal priority.
             * example:
             * 1
             */
            weight: number;
            /**
             * The currencies routed to the account; `null` for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            currencies: string[] | null;
            /**
             * The smallest invoice amount routed to the account (see `Money`); `null` for no minimum.
             * example:
             * 1
             */
            min_amount: string | null; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
            /**
             * The largest invoice amount routed to the account (see `Money`); `null` for no maximum.
             * example:
             * 500
             */
            max_amount: string | null; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
            /**
             * Where the upstream must send its webhooks for this account: paste it into the
             * upstream's dashboard. `null` for connectors without webhooks (e.g. `sandbox`).
             *
             * example:
             * https://pay.example.com/hooks/cryptopay/ga_01JWRF867835BD1EWQACN7ENYP
             */
            webhook_url: string | null;
            /**
             * The account's circuit breaker, shared by every API process: after
             * `CIRCUIT_BREAKER_FAILURES` consecutive retryable upstream failures (network, timeout,
             * 5xx, 429) the account is `open` and skipped for `CIRCUIT_BREAKER_OPEN_SECONDS`; then
             * `half_open` (one request probes it); a success closes it.
             *
             */
            circuit: {
                state: "closed" | "open" | "half_open";
                consecutive_failures: number;
                open_until: string | null; // date-time
            };
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            updated_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        /**
         * An account's non-secret configuration, in the schema of the account's connector
         * (`CryptoPayConfig`, `WalletPayConfig`, `BtcPayConfig`, `XthonPayConfig`,
         * `PayStablecoinConfig`, `XRocketConfig`, `LnbitsConfig`, `ClnConfig`, `StarsConfig`, `SandboxConfig`); it never contains credentials. A key the
         * account's connector does not take is refused (`422 validation_failed`, naming
         * `/body/config/<key>`).
         *
         */
        export type GatewayAccountConfig = /**
         * An account's non-secret configuration, in the schema of the account's connector
         * (`CryptoPayConfig`, `WalletPayConfig`, `BtcPayConfig`, `XthonPayConfig`,
         * `PayStablecoinConfig`, `XRocketConfig`, `LnbitsConfig`, `ClnConfig`, `StarsConfig`, `SandboxConfig`); it never contains credentials. A key the
         * account's connector does not take is refused (`422 validation_failed`, naming
         * `/body/config/<key>`).
         *
         */
        /* The configuration of a Crypto Pay account (`connector: cryptopay`). */ CryptoPayConfig | /* The configuration of a Wallet Pay account (`connector: walletpay`). */ WalletPayConfig | /**
         * The configuration of a BTCPay Server account (`connector: btcpay`). `base_url`, the
         * address of your BTCPay Server (e.g. `https://btcpay.example.com`), is required: an
         * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        BtcPayConfig | /* The configuration of an XthonPay account (`connector: xthonpay`). */ XthonPayConfig | /* The configuration of a PayStablecoin account (`connector: paystablecoin`). */ PayStablecoinConfig | /* The configuration of an xRocket Pay account (`connector: xrocket`). */ XRocketConfig | /**
         * The configuration of an LNbits account (`connector: lnbits`). `base_url`, the address of
         * your LNbits server (e.g. `https://lnbits.example.com`, without `/api/v1`), is required:
         * an account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        LnbitsConfig | /**
         * The configuration of a Core Lightning account (`connector: cln`). `base_url`, the address
         * of your node's `clnrest` plugin (e.g. `https://node.example.com:3010`), is required: an
         * account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        ClnConfig | /**
         * The configuration of a Telegram Stars account (`connector: stars`): `XTR` invoices paid
         * with Telegram Stars through your bot (`credentials.bot_token`). Two ways to connect:
         *
         * * **Switchyard owns the bot's webhook** (no `credentials.webhook_secret`): Switchyard
         *   makes a secret and calls `setWebhook` with the account's `webhook_url`; payment updates
         *   are handled here, and every other update (and payments that are not Switchyard's) is
         *   passed on unchanged, with the same `X-Telegram-Bot-Api-Secret-Token` header, to
         *   `forward_url` if set (retried like webhooks to you). Replies that a bot gives in its
         *   webhook answer do not reach Telegram this way: answer with Bot API calls.
         * * **Your bot keeps its webhook** (`credentials.webhook_secret` given): your bot forwards
         *   the updates with `pre_checkout_query`, `message.successful_payment` and
         *   `message.refunded_payment` of Switchyard's invoices (payload `inv_…`), unchanged, to the
         *   account's `webhook_url` with the header `X-Telegram-Bot-Api-Secret-Token:
         *   <webhook_secret>`, and does not answer those pre-checkout queries itself.
         *
         */
        StarsConfig | /* The sandbox account takes no configuration (`connector: sandbox`). */ SandboxConfig;
        /**
         * One body per connector, chosen by `connector` (`CryptoPayAccountCreate`,
         * `WalletPayAccountCreate`, …): the fields are the same for every connector, only `config`
         * takes the connector's own keys. `min_amount` and `max_amount` (`Money` strings, compared
         * in the invoice's currency) limit the invoice amounts routed to the account; `min_amount`
         * may not exceed `max_amount`.
         *
         */
        export type GatewayAccountCreate = /**
         * One body per connector, chosen by `connector` (`CryptoPayAccountCreate`,
         * `WalletPayAccountCreate`, …): the fields are the same for every connector, only `config`
         * takes the connector's own keys. `min_amount` and `max_amount` (`Money` strings, compared
         * in the invoice's currency) limit the invoice amounts routed to the account; `min_amount`
         * may not exceed `max_amount`.
         *
         */
        /* Connects a Crypto Pay app. */ CryptoPayAccountCreate | /* Connects a Wallet Pay store. */ WalletPayAccountCreate | /* Connects a store on a BTCPay Server; `config.base_url` is required. */ BtcPayAccountCreate | /* Connects an XthonPay account. */ XthonPayAccountCreate | /* Connects a PayStablecoin merchant (live mode). */ PayStablecoinAccountCreate | /* Connects an xRocket Pay app. */ XRocketAccountCreate | /* Connects a wallet on an LNbits server with its Invoice/read key; `config.base_url` is required. */ LnbitsAccountCreate | /* Connects a Core Lightning node through its clnrest plugin; `config.base_url` is required. */ ClnAccountCreate | /* Connects a Telegram bot that takes payments in Telegram Stars (`XTR`). */ StarsAccountCreate | /* The sandbox account is built in (test mode), so creating one is refused with `422 validation_failed`. */ SandboxAccountCreate;
        /**
         * The connector's credentials, checked against that connector's fields (also listed
         * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
         * `422 validation_failed`. Stored encrypted and never returned.
         *
         * | connector | credentials |
         * | --- | --- |
         * | `sandbox` | none: `{}` |
         * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
         * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
         * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
         * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
         * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
         * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
         * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
         * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
         * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
         *
         * example:
         * {
         *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
         * }
         */
        export type GatewayAccountCredentials = {
            [name: string]: any;
        }
        /**
         * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
         * example:
         * [
         *   "USDT",
         *   "TON",
         *   "BTC"
         * ]
         */
        export type GatewayAccountCurrencies = /**
         * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
         * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
         *
         * example:
         * USDT
         */
        CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */[];
        /**
         * `false` connects the account without routing invoices to it yet.
         */
        export type GatewayAccountEnabled = boolean;
        /**
         * A gateway account id, `ga_` followed by 26 characters.
         * example:
         * ga_01JWRF867835BD1EWQACN7ENYP
         */
        export type GatewayAccountId = string; // ^ga_[0-9A-Za-z]{26}$
        export type GatewayAccountList = {
            object: "list";
            data: /**
             * A connected upstream account. Every field is always present; fields that do not apply
             * are `null`. Credentials are never returned.
             *
             */
            GatewayAccount[];
            has_more: boolean;
        }
        /**
         * A label for your own records.
         * example:
         * Crypto Pay
         */
        export type GatewayAccountName = string;
        /**
         * Accounts with a higher priority are tried first.
         * example:
         * 10
         */
        export type GatewayAccountPriority = number;
        /**
         * At least one field; fields left out keep their value. `null` clears a field.
         */
        export type GatewayAccountUpdate = {
            /**
             * A new label, or `null` to clear it.
             * example:
             * Crypto Pay (main)
             */
            name?: string | null;
            /**
             * New credentials, in the connector's fields (see `GatewayAccountCreate`). They
             * replace the stored ones as a whole and are checked with the upstream again.
             *
             * example:
             * {
             *   "token": "12345:AAi7jbNYbYDxqgvjQw9vBHdBhcRoQfgq3Fp"
             * }
             */
            credentials?: {
                [name: string]: any;
            };
            config?: /**
             * An account's non-secret configuration, in the schema of the account's connector
             * (`CryptoPayConfig`, `WalletPayConfig`, `BtcPayConfig`, `XthonPayConfig`,
             * `PayStablecoinConfig`, `XRocketConfig`, `LnbitsConfig`, `ClnConfig`, `StarsConfig`, `SandboxConfig`); it never contains credentials. A key the
             * account's connector does not take is refused (`422 validation_failed`, naming
             * `/body/config/<key>`).
             *
             */
            GatewayAccountConfig;
            /**
             * `false` stops routing new invoices to the account; `true` resumes it.
             */
            enabled?: boolean;
            /**
             * Accounts with a higher priority are tried first.
             * example:
             * 20
             */
            priority?: number;
            /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 2
             */
            weight?: number;
            /**
             * The currencies to route to the account, or `null` for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON"
             * ]
             */
            currencies?: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */[] | null;
            /**
             * The smallest invoice amount to route to the account (see `Money`), or `null` for no minimum.
             * example:
             * 1
             */
            min_amount?: string | null; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
            /**
             * The largest invoice amount to route to the account (see `Money`), or `null` for no maximum.
             * example:
             * 1000
             */
            max_amount?: string | null; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
        }
        /**
         * Shares invoices among accounts of equal priority, in proportion to their weights.
         * example:
         * 1
         */
        export type GatewayAccountWeight = number;
        /**
         * One try at opening the invoice at an upstream, by routing or by the buyer's pick.
         */
        export type GatewayAttempt = {
            /**
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            account_id: string;
            /**
             * example:
             * cryptopay
             */
            connector: string;
            /**
             * `succeeded`: the upstream opened the invoice. `failed`: a transport or server error
             * (Switchyard failed over). `declined`: the upstream refused the request.
             *
             */
            outcome: "succeeded" | "failed" | "declined";
            /**
             * Why the attempt did not succeed (`null` when it did).
             * example:
             * upstream_timeout
             */
            code: string | null;
            /**
             * example:
             * 241
             */
            duration_ms: number;
            /**
             * `routing`: Switchyard picked the account when the invoice was created. `buyer`: the buyer picked its gateway on the checkout page.
             * example:
             * routing
             */
            selected_by: "routing" | "buyer";
            attempted_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        /**
         * `auto` (default): Switchyard routes the invoice to one of your accounts now. `buyer`: no
         * upstream invoice is opened yet; `gateway` is `null`, `pay_url` is the `checkout_url`, and
         * the buyer picks among your eligible gateways on the hosted checkout page (see *Checkout*).
         * Cannot be combined with `gateway` or `gateway_account_id`.
         *
         * example:
         * auto
         */
        export type GatewaySelection = "auto" | "buyer";
        export type Health = {
            status: "ok";
        }
        /**
         * An invoice. Every field is always present; fields that do not apply are `null`.
         *
         */
        export type Invoice = {
            id: /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
            object: "invoice";
            /**
             * `true` for live mode, `false` for test mode.
             */
            livemode: boolean;
            status: /**
             * `pending` → `processing` (payment seen, awaiting confirmation) → `paid` → `refunded`; or
             * `expired`, `cancelled`, `failed`. `refunded`, `expired`, `cancelled` and `failed` are
             * terminal; `paid` moves only to `refunded` (a refund through the API, or one the upstream
             * reports). States only move forward.
             *
             * example:
             * pending
             */
            InvoiceStatus;
            amount: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            currency: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
            /**
             * The assets the buyer may pay with; empty when not restricted.
             */
            accepted_assets: string[];
            description: string | null;
            external_id: string | null;
            /**
             * The metadata given at creation (`{}` when none).
             */
            metadata: {
                [name: string]: any;
            };
            customer: /* The `customer` given at creation (the same shape as `Customer`), or `null`. */ InvoiceCustomer;
            gateway_selection: /**
             * `auto` (default): Switchyard routes the invoice to one of your accounts now. `buyer`: no
             * upstream invoice is opened yet; `gateway` is `null`, `pay_url` is the `checkout_url`, and
             * the buyer picks among your eligible gateways on the hosted checkout page (see *Checkout*).
             * Cannot be combined with `gateway` or `gateway_account_id`.
             *
             * example:
             * auto
             */
            GatewaySelection;
            gateway: /**
             * Where the invoice was routed; `null` while a `gateway_selection: "buyer"` invoice waits for
             * the buyer's pick. `connector`, `account_id` and `upstream_id` name the upstream invoice the
             * buyer pays now (`null` when every try failed so far).
             *
             */
            InvoiceGateway;
            /**
             * Where the buyer pays: the upstream's own page or Telegram link when it has one,
             * otherwise (address-style upstreams, the sandbox, and a `buyer` invoice before the pick)
             * the `checkout_url`.
             *
             */
            pay_url: string; // uri
            /**
             * Switchyard's hosted checkout page for this invoice
             * (`<public URL>/checkout/<token>`): the one link to hand a buyer, whatever the gateway.
             *
             * example:
             * https://pay.example.com/checkout/6JQwzJ3Yb0mO9vYtq2bq1cDk2l4Jm8Xf
             */
            checkout_url: string; // uri
            payment: /**
             * Payment instructions for address-style upstreams (send `amount` of `asset` on `network`
             * to `address`, or pay the Lightning invoice `bolt11`), so a bot can show its own QR
             * codes; `null` for hosted-page-only upstreams, which use `pay_url`. BTCPay Server gives
             * both: `pay_url` is its checkout page, `payment` the on-chain address (`network:
             * bitcoin`) and the BOLT11 (`network: lightning` when only Lightning is offered).
             *
             */
            InvoicePayment;
            paid: /**
             * What was actually paid: set once the invoice is `paid`, when it expires after a partial
             * payment, and when money arrives after it expired, was cancelled or failed (event
             * `invoice.late_payment`); otherwise `null`. `amount` may differ from the invoice amount:
             * `exception` says how.
             *
             */
            InvoicePaid;
            /**
             * Every refund of the invoice, oldest first (empty until one is made).
             */
            refunds: /* One refund of a paid invoice. */ InvoiceRefund[];
            return_url: string | null;
            fail_return_url: string | null;
            expires_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            updated_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        /**
         * An invoice's hosted checkout as its tenant sees it.
         */
        export type InvoiceCheckout = {
            object: "invoice_checkout";
            /**
             * The `checkout_url`.
             */
            url: string; // uri
            gateway_selection: /**
             * `auto` (default): Switchyard routes the invoice to one of your accounts now. `buyer`: no
             * upstream invoice is opened yet; `gateway` is `null`, `pay_url` is the `checkout_url`, and
             * the buyer picks among your eligible gateways on the hosted checkout page (see *Checkout*).
             * Cannot be combined with `gateway` or `gateway_account_id`.
             *
             * example:
             * auto
             */
            GatewaySelection;
            /**
             * Whether the buyer may pick (again) now; `false` once paid, closed, a payment is seen, or for `auto` invoices.
             */
            choosable: boolean;
            /**
             * What the page offers now (empty when not `choosable`), in routing order.
             */
            options: {
                connector: /**
                 * An upstream connector id: `sandbox` (test mode only; invoices are driven by
                 * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
                 * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
                 * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
                 * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
                 * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
                 * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
                 * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
                 * invoices). Later upstreams add values here.
                 *
                 * example:
                 * cryptopay
                 */
                ConnectorId;
                /**
                 * The connector's name.
                 * example:
                 * Crypto Pay
                 */
                name: string;
                /**
                 * What the buyer can pay with there (empty when the upstream decides).
                 */
                assets: string[];
                /**
                 * Your accounts behind this option, tried in routing order.
                 */
                account_ids: string[];
                /**
                 * The invoice's current upstream invoice is on this option.
                 */
                selected: boolean;
            }[];
            /**
             * Every upstream invoice opened for this invoice, oldest first.
             */
            upstream_invoices: UpstreamInvoiceRecord[];
        }
        export type InvoiceCreate = {
            amount: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            currency: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
            /**
             * For fiat invoices, the assets the buyer may pay with. An entry may name one payment
             * rail of an asset: `BTC-CHAIN` (on-chain) or `BTC-LN` (Lightning) limit a BTCPay
             * Server invoice to that rail; `BTC` offers every rail the store has enabled. Only
             * gateways that can take at least one of the entries are considered.
             *
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            accepted_assets?: /**
             * A crypto asset code (`USDT`, `BTC`), optionally with a payment rail (`BTC-CHAIN`, `BTC-LN`).
             * example:
             * BTC-LN
             */
            AcceptedAsset /* ^[A-Z][A-Z0-9]{1,9}(-(CHAIN|LN))?$ */[];
            /**
             * Shown to the buyer where the upstream supports it.
             * example:
             * Premium plan, 1 month
             */
            description?: string;
            /**
             * Your reference for this invoice (an order number), unique per tenant and mode.
             * example:
             * order_10423
             */
            external_id?: string;
            /**
             * Seconds until the invoice expires (60 s to 31 days).
             * example:
             * 1800
             */
            expires_in?: number;
            /**
             * Free-form JSON object for your own use, at most 4 KiB serialized. Stored as given and
             * echoed in the invoice and in every event about it.
             *
             * example:
             * {
             *   "order_id": 10423
             * }
             */
            metadata?: {
                [name: string]: any;
            };
            customer?: /* Who pays. Some connectors need a field (Telegram Wallet Pay needs `telegram_user_id`). */ Customer;
            /**
             * Absolute URL the buyer is sent to after paying, where the upstream supports it.
             * example:
             * https://shop.example.com/orders/10423/thanks
             */
            return_url?: string; // uri
            /**
             * Absolute URL the buyer is sent to when the payment fails, where supported.
             * example:
             * https://shop.example.com/orders/10423/retry
             */
            fail_return_url?: string; // uri
            gateway?: /**
             * An upstream connector id: `sandbox` (test mode only; invoices are driven by
             * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
             * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
             * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
             * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
             * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
             * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
             * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
             * invoices). Later upstreams add values here.
             *
             * example:
             * cryptopay
             */
            ConnectorId;
            /**
             * Force one of your gateway accounts instead of letting Switchyard route.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            gateway_account_id?: string; // ^ga_[0-9A-Za-z]{26}$
            gateway_selection?: /**
             * `auto` (default): Switchyard routes the invoice to one of your accounts now. `buyer`: no
             * upstream invoice is opened yet; `gateway` is `null`, `pay_url` is the `checkout_url`, and
             * the buyer picks among your eligible gateways on the hosted checkout page (see *Checkout*).
             * Cannot be combined with `gateway` or `gateway_account_id`.
             *
             * example:
             * auto
             */
            GatewaySelection;
        }
        /**
         * The `customer` given at creation (the same shape as `Customer`), or `null`.
         */
        export type InvoiceCustomer = {
            /**
             * example:
             * 123456789
             */
            telegram_user_id?: number;
            /**
             * example:
             * buyer@example.com
             */
            email?: string; // email
        } | null;
        /**
         * Where the invoice was routed; `null` while a `gateway_selection: "buyer"` invoice waits for
         * the buyer's pick. `connector`, `account_id` and `upstream_id` name the upstream invoice the
         * buyer pays now (`null` when every try failed so far).
         *
         */
        export type InvoiceGateway = {
            /**
             * example:
             * cryptopay
             */
            connector: string | null;
            /**
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            account_id: string | null;
            /**
             * The invoice's id at the upstream.
             * example:
             * 2841793
             */
            upstream_id: string | null;
            /**
             * Every try, in order (routing's and every buyer pick's); the last successful one holds the invoice.
             */
            attempts: /* One try at opening the invoice at an upstream, by routing or by the buyer's pick. */ GatewayAttempt[];
        } | null;
        /**
         * An invoice id, `inv_` followed by 26 characters.
         * example:
         * inv_01JWRF885RR8D8Z0K51D16FDPH
         */
        export type InvoiceId = string; // ^inv_[0-9A-Za-z]{26}$
        export type InvoiceList = {
            object: "list";
            data: /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Invoice[];
            has_more: boolean;
        }
        /**
         * What was actually paid: set once the invoice is `paid`, when it expires after a partial
         * payment, and when money arrives after it expired, was cancelled or failed (event
         * `invoice.late_payment`); otherwise `null`. `amount` may differ from the invoice amount:
         * `exception` says how.
         *
         */
        export type InvoicePaid = {
            amount: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            currency: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
            paid_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * The upstream's fee as a decimal string (see `Money`), `null` when unknown.
             * example:
             * 0.25
             */
            fee: string | null; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
            /**
             * `null` when the payment matches the invoice. `underpaid` / `overpaid`: less or more
             * than the invoice amount arrived (as the upstream reports it, e.g. BTCPay's
             * `PaidPartial` / `PaidOver`, or compared in the invoice currency). `late`: the money
             * arrived after the invoice stopped taking payments (BTCPay's `PaidLate`); the status
             * does not change; refund or fulfil by hand.
             *
             * example:
             */
            exception: "underpaid" | "overpaid" | "late" | null;
        } | null;
        /**
         * Payment instructions for address-style upstreams (send `amount` of `asset` on `network`
         * to `address`, or pay the Lightning invoice `bolt11`), so a bot can show its own QR
         * codes; `null` for hosted-page-only upstreams, which use `pay_url`. BTCPay Server gives
         * both: `pay_url` is its checkout page, `payment` the on-chain address (`network:
         * bitcoin`) and the BOLT11 (`network: lightning` when only Lightning is offered).
         *
         */
        export type InvoicePayment = {
            /**
             * example:
             * UQBvW8Z5huBkMJYdnfAEM5JqTNkuWX3diqYENkWsIL0XggGG
             */
            address?: string;
            /**
             * example:
             * ton
             */
            network?: string;
            /**
             * example:
             * USDT
             */
            asset?: string;
            /**
             * example:
             * 25.00
             */
            amount?: string;
            /**
             * example:
             * lnbc250n1pj9x7hspp5...
             */
            bolt11?: string;
        } | null;
        /**
         * One refund of a paid invoice.
         */
        export type InvoiceRefund = {
            amount: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            currency: /**
             * A currency or asset code in upper case: fiat ISO 4217 (`USD`, `EUR`, `RUB`), a crypto
             * asset ticker (`USDT`, `TON`, `BTC`), or `XTR` (Telegram Stars, whole stars only).
             *
             * example:
             * USDT
             */
            CurrencyCode /* ^[A-Z][A-Z0-9]{1,9}$ */;
            /**
             * `succeeded`: the money went back. `pending`: the buyer still has to claim it at `claim_url` (BTCPay Server pull payments).
             */
            status: "pending" | "succeeded";
            /**
             * The upstream's reference (a BTCPay pull payment id, a Telegram charge id).
             */
            reference: string | null;
            /**
             * Where the buyer claims the refund (BTCPay Server), to hand to the buyer.
             */
            claim_url: string | null;
            reason: string | null;
            /**
             * `api`: asked for with `POST /v1/invoices/{id}/refund`. `upstream`: reported by the upstream (a refund made there).
             */
            source: "api" | "upstream";
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        /**
         * `pending` → `processing` (payment seen, awaiting confirmation) → `paid` → `refunded`; or
         * `expired`, `cancelled`, `failed`. `refunded`, `expired`, `cancelled` and `failed` are
         * terminal; `paid` moves only to `refunded` (a refund through the API, or one the upstream
         * reports). States only move forward.
         *
         * example:
         * pending
         */
        export type InvoiceStatus = "pending" | "processing" | "paid" | "expired" | "cancelled" | "failed" | "refunded";
        /**
         * Connects a wallet on an LNbits server with its Invoice/read key; `config.base_url` is required.
         */
        export type LnbitsAccountCreate = {
            connector: "lnbits";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /**
             * The configuration of an LNbits account (`connector: lnbits`). `base_url`, the address of
             * your LNbits server (e.g. `https://lnbits.example.com`, without `/api/v1`), is required:
             * an account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
             *
             */
            LnbitsConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of an LNbits account (`connector: lnbits`). `base_url`, the address of
         * your LNbits server (e.g. `https://lnbits.example.com`, without `/api/v1`), is required:
         * an account without it is refused with `422 validation_failed` naming `/body/config/base_url`.
         *
         */
        export type LnbitsConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
        }
        /**
         * `live` for real money, `test` for the sandbox and upstream testnets.
         * example:
         * test
         */
        export type Mode = "live" | "test";
        /**
         * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
         * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
         * `"100"`). Never a JSON number.
         *
         * example:
         * 9.99
         */
        export type Money = string; // ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$
        /**
         * Connects a PayStablecoin merchant (live mode).
         */
        export type PayStablecoinAccountCreate = {
            connector: "paystablecoin";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The configuration of a PayStablecoin account (`connector: paystablecoin`). */ PayStablecoinConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a PayStablecoin account (`connector: paystablecoin`).
         */
        export type PayStablecoinConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
        }
        /**
         * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
         * `application/problem+json`. Clients should branch on `code`.
         *
         */
        export type Problem = {
            [name: string]: any;
            /**
             * A URI reference identifying the problem type (one per `code`).
             * example:
             * https://switchyard.dev/problems/validation-failed
             */
            type: string;
            /**
             * A short, human-readable summary of the problem type.
             * example:
             * Validation failed
             */
            title: string;
            /**
             * The HTTP status code of this answer.
             * example:
             * 422
             */
            status: number;
            /**
             * A human-readable explanation of this occurrence.
             * example:
             * The request has 2 invalid fields.
             */
            detail?: string;
            /**
             * Stable machine-readable error code. Current codes (with their HTTP status):
             *
             * | code | status | meaning |
             * | --- | --- | --- |
             * | `malformed_json` | 400 | the body is not valid JSON |
             * | `unauthorized` | 401 | missing, malformed, unknown or revoked credential |
             * | `forbidden` | 403 | the credential may not do this |
             * | `tenant_suspended` | 403 | the key's tenant is suspended |
             * | `not_found` | 404 | no such route or object (or not yours) |
             * | `method_not_allowed` | 405 | the path exists but not with this method |
             * | `idempotency_in_progress` | 409 | a request with this `Idempotency-Key` is still running |
             * | `duplicate_external_id` | 409 | `external_id` already used; see `invoice_id` |
             * | `invoice_not_cancellable` | 409 | only `pending` invoices can be cancelled |
             * | `invalid_transition` | 409 | the invoice cannot move to that status |
             * | `endpoint_disabled` | 409 | the webhook endpoint is disabled; re-enable it first |
             * | `payload_too_large` | 413 | the body is too large |
             * | `unsupported_media_type` | 415 | the body is not `application/json` |
             * | `validation_failed` | 422 | invalid parameter, header or body; see `errors` |
             * | `idempotency_conflict` | 422 | `Idempotency-Key` reused with a different body |
             * | `simulation_not_supported` | 422 | only test-mode `sandbox` invoices can be simulated |
             * | `sync_not_supported` | 422 | the invoice's upstream (account) has no status query; its webhooks update it |
             * | `no_gateway_available` | 422 | no gateway account can take the invoice |
             * | `no_endpoints` | 422 | no enabled webhook endpoint would receive the event |
             * | `url_not_allowed` | 422 | a webhook URL or `config.base_url` that resolves to a non-public address |
             * | `upstream_credentials_invalid` | 422 | the upstream refused the gateway account's credentials |
             * | `balance_not_supported` | 422 | the gateway account's connector does not report a balance |
             * | `rate_limited` | 429 | too many requests; see `Retry-After` |
             * | `internal_error` | 500 | unexpected server error |
             * | `upstream_error` | 502 | the upstream gateway failed |
             * | `not_ready` | 503 | a dependency is unreachable |
             *
             * New codes may be added; treat an unknown code by its HTTP status.
             *
             * example:
             * validation_failed
             */
            code: string;
            /**
             * For `validation_failed`, every offending field.
             */
            errors?: /* One invalid field of a `validation_failed` problem. */ ProblemFieldError[];
            /**
             * The request's id, the same as the `X-Request-Id` header.
             * example:
             * 5f0c6b2e-8d1a-4a7e-9c3b-2f6d1e8a9b4c
             */
            request_id?: string;
            /**
             * For `duplicate_external_id`, the id of the existing invoice.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            invoice_id?: string;
        }
        /**
         * One invalid field of a `validation_failed` problem.
         */
        export type ProblemFieldError = {
            /**
             * Where the problem is, JSON-pointer-like, rooted at the request part: `/body/amount`,
             * `/body/customer/email`, `/query/limit`, `/path/id`, `/headers/idempotency-key`.
             *
             * example:
             * /body/amount
             */
            field: string;
            /**
             * What is wrong, for humans.
             * example:
             * must be a decimal string such as "9.99"
             */
            message: string;
            /**
             * The failed rule (`required`, `pattern`, `maximum`, `enum`, …), for machines.
             * example:
             * pattern
             */
            code?: string;
        }
        /**
         * `status` is `ok` only when every check is `ok`.
         */
        export type Readiness = {
            status: "ok" | "error";
            checks: {
                postgres: "ok" | "error";
                redis: "ok" | "error";
            };
        }
        /**
         * Optional; omit the body (or send `{}`) to redeliver to every enabled endpoint subscribed to the event's type.
         */
        export type RedeliverRequest = {
            endpoint_id?: /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        /**
         * Refunds are always of the whole paid amount.
         */
        export type RefundRequest = {
            /**
             * Why; kept on the refund (and sent to the upstream where it takes one).
             * example:
             * Out of stock
             */
            reason?: string;
        }
        /**
         * The sandbox account is built in (test mode), so creating one is refused with `422 validation_failed`.
         */
        export type SandboxAccountCreate = {
            connector: "sandbox";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The sandbox account takes no configuration (`connector: sandbox`). */ SandboxConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The sandbox account takes no configuration (`connector: sandbox`).
         */
        export type SandboxConfig = Record<string, never>;
        /**
         * Where things are, as absolute URLs built from `PUBLIC_BASE_URL`.
         */
        export type ServiceIndex = {
            name: "Switchyard";
            /**
             * The running Switchyard's version.
             * example:
             * 0.1.0
             */
            version: string;
            /**
             * The API docs (Swagger UI).
             */
            docs_url: string; // uri
            /**
             * This OpenAPI document, as JSON.
             */
            openapi_url: string; // uri
            health_url: string; // uri
            readiness_url: string; // uri
            /**
             * Every tenant path starts with it, e.g. `GET {api_base_url}/invoices` with an API key.
             */
            api_base_url: string; // uri
            /**
             * Every operator path starts with it, e.g. `GET {admin_api_base_url}/tenants` with an operator JWT.
             */
            admin_api_base_url: string; // uri
        }
        /**
         * `paid_amount` (a `Money` string, only meaningful with `status: paid`) defaults to the
         * invoice amount; give a smaller or larger amount to model an underpayment or overpayment.
         *
         */
        export type SimulateRequest = {
            /**
             * The status to move the invoice to.
             * example:
             * paid
             */
            status: "processing" | "paid" | "expired" | "failed";
            paid_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * Connects a Telegram bot that takes payments in Telegram Stars (`XTR`).
         */
        export type StarsAccountCreate = {
            connector: "stars";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /**
             * The configuration of a Telegram Stars account (`connector: stars`): `XTR` invoices paid
             * with Telegram Stars through your bot (`credentials.bot_token`). Two ways to connect:
             *
             * * **Switchyard owns the bot's webhook** (no `credentials.webhook_secret`): Switchyard
             *   makes a secret and calls `setWebhook` with the account's `webhook_url`; payment updates
             *   are handled here, and every other update (and payments that are not Switchyard's) is
             *   passed on unchanged, with the same `X-Telegram-Bot-Api-Secret-Token` header, to
             *   `forward_url` if set (retried like webhooks to you). Replies that a bot gives in its
             *   webhook answer do not reach Telegram this way: answer with Bot API calls.
             * * **Your bot keeps its webhook** (`credentials.webhook_secret` given): your bot forwards
             *   the updates with `pre_checkout_query`, `message.successful_payment` and
             *   `message.refunded_payment` of Switchyard's invoices (payload `inv_…`), unchanged, to the
             *   account's `webhook_url` with the header `X-Telegram-Bot-Api-Secret-Token:
             *   <webhook_secret>`, and does not answer those pre-checkout queries itself.
             *
             */
            StarsConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a Telegram Stars account (`connector: stars`): `XTR` invoices paid
         * with Telegram Stars through your bot (`credentials.bot_token`). Two ways to connect:
         *
         * * **Switchyard owns the bot's webhook** (no `credentials.webhook_secret`): Switchyard
         *   makes a secret and calls `setWebhook` with the account's `webhook_url`; payment updates
         *   are handled here, and every other update (and payments that are not Switchyard's) is
         *   passed on unchanged, with the same `X-Telegram-Bot-Api-Secret-Token` header, to
         *   `forward_url` if set (retried like webhooks to you). Replies that a bot gives in its
         *   webhook answer do not reach Telegram this way: answer with Bot API calls.
         * * **Your bot keeps its webhook** (`credentials.webhook_secret` given): your bot forwards
         *   the updates with `pre_checkout_query`, `message.successful_payment` and
         *   `message.refunded_payment` of Switchyard's invoices (payload `inv_…`), unchanged, to the
         *   account's `webhook_url` with the header `X-Telegram-Bot-Api-Secret-Token:
         *   <webhook_secret>`, and does not answer those pre-checkout queries itself.
         *
         */
        export type StarsConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * `test`: Telegram's test environment (`/bot<token>/test/<method>`). Default `production`.
             * example:
             * test
             */
            environment?: "production" | "test";
            /**
             * When Switchyard owns the bot's webhook: your bot's own webhook address, where every
             * update that is not about a Switchyard invoice is passed on. Checked like `base_url`
             * (`422 url_not_allowed`).
             *
             * example:
             * https://bot.example.com/telegram/webhook
             */
            forward_url?: string; // uri ^[Hh][Tt][Tt][Pp][Ss]?://
            /**
             * When Switchyard owns the bot's webhook: the update types Telegram sends it
             * (`message` and `pre_checkout_query` are always added). Default: only those two, or
             * Telegram's default set when `forward_url` is set.
             *
             * example:
             * [
             *   "message",
             *   "callback_query",
             *   "pre_checkout_query"
             * ]
             */
            allowed_updates?: string /* ^[a-z][a-z_]{0,63}$ */[];
        }
        export type Tenant = {
            id: /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
            object: "tenant";
            /**
             * example:
             * Acme Bots
             */
            name: string;
            status: /**
             * `suspended` tenants cannot use the API (`403 tenant_suspended`).
             * example:
             * active
             */
            TenantStatus;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            updated_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        export type TenantCreate = {
            name: /**
             * Display name; not blank.
             * example:
             * Acme Bots
             */
            TenantName /* \S */;
        }
        /**
         * A tenant id, `ten_` followed by 26 characters.
         * example:
         * ten_01JWRF848RBXKYA92YQGCZFXH8
         */
        export type TenantId = string; // ^ten_[0-9A-Za-z]{26}$
        export type TenantList = {
            object: "list";
            data: Tenant[];
            has_more: boolean;
        }
        /**
         * Display name; not blank.
         * example:
         * Acme Bots
         */
        export type TenantName = string; // \S
        /**
         * `suspended` tenants cannot use the API (`403 tenant_suspended`).
         * example:
         * active
         */
        export type TenantStatus = "active" | "suspended";
        /**
         * At least one field.
         */
        export type TenantUpdate = {
            name?: /**
             * Display name; not blank.
             * example:
             * Acme Bots
             */
            TenantName /* \S */;
            status?: /**
             * `suspended` tenants cannot use the API (`403 tenant_suspended`).
             * example:
             * active
             */
            TenantStatus;
        }
        /**
         * An RFC 3339 timestamp in UTC.
         * example:
         * 2025-06-02T14:03:15.412Z
         */
        export type Timestamp = string; // date-time
        export type UpstreamInvoiceRecord = {
            connector: /**
             * An upstream connector id: `sandbox` (test mode only; invoices are driven by
             * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
             * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
             * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
             * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
             * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
             * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
             * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
             * invoices). Later upstreams add values here.
             *
             * example:
             * cryptopay
             */
            ConnectorId;
            account_id: string;
            upstream_id: string;
            /**
             * `current`: what the invoice shows now. `abandoned`: the buyer picked another gateway;
             * it is still watched, and a payment there settles the invoice. `cancelled`: withdrawn at
             * the upstream.
             *
             */
            state: "current" | "abandoned" | "cancelled";
            status: /**
             * `pending` → `processing` (payment seen, awaiting confirmation) → `paid` → `refunded`; or
             * `expired`, `cancelled`, `failed`. `refunded`, `expired`, `cancelled` and `failed` are
             * terminal; `paid` moves only to `refunded` (a refund through the API, or one the upstream
             * reports). States only move forward.
             *
             * example:
             * pending
             */
            InvoiceStatus;
            paid: /**
             * What was actually paid: set once the invoice is `paid`, when it expires after a partial
             * payment, and when money arrives after it expired, was cancelled or failed (event
             * `invoice.late_payment`); otherwise `null`. `amount` may differ from the invoice amount:
             * `exception` says how.
             *
             */
            InvoicePaid;
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        /**
         * One request received on `POST /hooks/{connector}/{gateway_account_id}`, as stored before
         * it was answered: verified or not, for a known account or not.
         *
         */
        export type UpstreamWebhook = {
            id: /**
             * A stored upstream webhook's id, `uwh_` followed by 26 characters.
             * example:
             * uwh_01JWRFCN2Q8V5TXHZB7M4KD1RA
             */
            UpstreamWebhookId /* ^uwh_[0-9A-Za-z]{26}$ */;
            object: "upstream_webhook";
            /**
             * The connector segment of the path, as received (it may name no connector).
             * example:
             * cryptopay
             */
            connector: string;
            /**
             * The account id segment of the path, as received; `null` when there was none.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            gateway_account_id: string | null;
            received_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * The IP address the request came from.
             * example:
             * 91.108.56.130
             */
            source_address: string;
            /**
             * example:
             * POST
             */
            method: string;
            /**
             * The request path, as received.
             * example:
             * /hooks/cryptopay/ga_01JWRF867835BD1EWQACN7ENYP
             */
            path: string;
            /**
             * The request headers, names in lower case, with secrets (such as `authorization` and `cookie`) removed.
             * example:
             * {
             *   "content-type": "application/json",
             *   "crypto-pay-api-signature": "145a3db8b9441daa1bc2de9436ae749cf6de1eb4ec082c16f67ae415527d2445"
             * }
             */
            headers: {
                [name: string]: string;
            };
            /**
             * The raw body as UTF-8 text, for reading (bytes that are not valid UTF-8 show as
             * U+FFFD). The exact bytes are kept in storage and given in `body_base64`.
             *
             * example:
             * {"update_id":8123,"update_type":"invoice_paid","payload":{"invoice_id":2841793,"status":"paid"}}
             */
            body: string;
            /**
             * The raw body, exactly the bytes received (and verified), base64-encoded.
             * example:
             * eyJ1cGRhdGVfaWQiOjgxMjN9
             */
            body_base64: string; // byte
            /**
             * Whether the request passed the upstream's verification (signature, and source address
             * where configured). Always `false` for an upstream that signs nothing (LNbits): see
             * `verification_error: unsigned_hint`.
             *
             */
            verified: boolean;
            /**
             * Why verification failed, `null` when it passed. For example `missing_signature`,
             * `bad_signature`, `source_not_allowed`, `unknown_account`, `unknown_connector`; more
             * values may be added. `unsigned_hint`: the upstream signs nothing (LNbits), so the
             * request was answered `200` and processed only as a reason to ask the upstream about
             * the invoice it names; its body changed nothing.
             *
             * example:
             * bad_signature
             */
            verification_error: string | null;
            /**
             * When the request's events were applied; `null` until then, and always for unverified
             * requests other than `unsigned_hint` ones (for those: when the upstream was asked).
             *
             */
            processed_at: string | null; // date-time
            /**
             * Why processing last failed (it is retried), `null` when it did not fail.
             * example:
             * unknown upstream invoice 2841801
             */
            process_error: string | null;
        }
        /**
         * A stored upstream webhook's id, `uwh_` followed by 26 characters.
         * example:
         * uwh_01JWRFCN2Q8V5TXHZB7M4KD1RA
         */
        export type UpstreamWebhookId = string; // ^uwh_[0-9A-Za-z]{26}$
        export type UpstreamWebhookList = {
            object: "list";
            data: /**
             * One request received on `POST /hooks/{connector}/{gateway_account_id}`, as stored before
             * it was answered: verified or not, for a known account or not.
             *
             */
            UpstreamWebhook[];
            has_more: boolean;
        }
        /**
         * Connects a Wallet Pay store.
         */
        export type WalletPayAccountCreate = {
            connector: "walletpay";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The configuration of a Wallet Pay account (`connector: walletpay`). */ WalletPayConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of a Wallet Pay account (`connector: walletpay`).
         */
        export type WalletPayConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * When present, webhooks for this account from any other source address are refused
             * (`401`, stored with `verification_error: source_not_allowed`). A list of IP
             * addresses or CIDR ranges, or `true` for the addresses Wallet Pay documents for its
             * webhooks (`172.255.248.29`, `172.255.248.12`); `false` turns it off.
             *
             * example:
             * [
             *   "172.255.248.29",
             *   "172.255.248.12"
             * ]
             */
            webhook_ip_allowlist?: /**
             * When present, webhooks for this account from any other source address are refused
             * (`401`, stored with `verification_error: source_not_allowed`). A list of IP
             * addresses or CIDR ranges, or `true` for the addresses Wallet Pay documents for its
             * webhooks (`172.255.248.29`, `172.255.248.12`); `false` turns it off.
             *
             * example:
             * [
             *   "172.255.248.29",
             *   "172.255.248.12"
             * ]
             */
            boolean | string /* ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ */[];
            /**
             * When set, a webhook whose `WalletPay-Timestamp` is further than this from our clock
             * is refused as stale (`401`, `verification_error: stale`). Off by default: Wallet Pay
             * documents the value as "nano time" but its own example has 15 digits, so the unit is
             * read from the magnitude (seconds, ms, µs or ns).
             *
             * example:
             * 300
             */
            webhook_timestamp_tolerance_seconds?: number;
        }
        /**
         * A URL Switchyard sends events to. Every field is always present. The signing secret is
         * shown only by create and `rotate-secret` (`WebhookEndpointWithSecret`).
         *
         */
        export type WebhookEndpoint = {
            id: /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
            object: "webhook_endpoint";
            /**
             * `true` for live mode, `false` for test mode; the endpoint receives only events of its mode.
             */
            livemode: boolean;
            /**
             * Where events are `POST`ed.
             * example:
             * https://shop.example.com/webhooks/switchyard
             */
            url: string;
            /**
             * example:
             * Order fulfilment
             */
            description: string | null;
            /**
             * The event types sent to the endpoint; `null` means every event type.
             * example:
             * [
             *   "invoice.paid",
             *   "invoice.expired",
             *   "invoice.cancelled",
             *   "invoice.failed"
             * ]
             */
            events: /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            EventType[] | null;
            /**
             * Whether events are sent to it. Switchyard disables an endpoint that keeps failing for 5 days.
             */
            enabled: boolean;
            /**
             * Why Switchyard disabled the endpoint: since when its deliveries kept failing and the
             * last attempt's error (`null` when enabled, or disabled by you).
             *
             * example:
             * deliveries kept failing since 2025-06-02T14:05:51.870Z; last attempt: HTTP 502
             */
            disabled_reason: string | null;
            /**
             * When the endpoint was disabled, by Switchyard or by you; `null` while enabled.
             */
            disabled_at: string | null; // date-time
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            updated_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
        }
        export type WebhookEndpointCreate = {
            /**
             * Absolute `http` or `https` URL events are `POST`ed to, without credentials; `https`
             * is required when Switchyard runs in production. A URL resolving to a private,
             * loopback or link-local address is refused (`422 url_not_allowed`) unless the operator
             * allows such addresses.
             *
             * example:
             * https://shop.example.com/webhooks/switchyard
             */
            url: string; // uri ^[Hh][Tt][Tt][Pp][Ss]?://
            /**
             * The event types to send; omit it for every event type.
             * example:
             * [
             *   "invoice.paid",
             *   "invoice.expired",
             *   "invoice.cancelled",
             *   "invoice.failed"
             * ]
             */
            events?: /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            EventType[];
            /**
             * A label for your own records.
             * example:
             * Order fulfilment
             */
            description?: string;
            /**
             * `false` creates the endpoint without sending it anything yet.
             */
            enabled?: boolean;
        }
        /**
         * A webhook endpoint id, `we_` followed by 26 characters.
         * example:
         * we_01JWRF46KVNQJHX3XPF3KFM038
         */
        export type WebhookEndpointId = string; // ^we_[0-9A-Za-z]{26}$
        export type WebhookEndpointList = {
            object: "list";
            data: /**
             * A URL Switchyard sends events to. Every field is always present. The signing secret is
             * shown only by create and `rotate-secret` (`WebhookEndpointWithSecret`).
             *
             */
            WebhookEndpoint[];
            has_more: boolean;
        }
        /**
         * At least one field; fields left out keep their value.
         */
        export type WebhookEndpointUpdate = {
            /**
             * A new URL, checked like at creation.
             * example:
             * https://shop.example.com/webhooks/switchyard/v2
             */
            url?: string; // uri ^[Hh][Tt][Tt][Pp][Ss]?://
            /**
             * The event types to send; `null` for every event type.
             * example:
             * [
             *   "invoice.paid"
             * ]
             */
            events?: /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            EventType[] | null;
            /**
             * A new label, or `null` to clear it.
             * example:
             * Order fulfilment (v2)
             */
            description?: string | null;
            /**
             * `false` stops sending to the endpoint; `true` re-enables it and clears `disabled_reason`.
             */
            enabled?: boolean;
        }
        /**
         * A webhook endpoint with its signing secret, as answered by create and `rotate-secret` only.
         */
        export type WebhookEndpointWithSecret = {
            id: /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
            object: "webhook_endpoint";
            /**
             * `true` for live mode, `false` for test mode; the endpoint receives only events of its mode.
             */
            livemode: boolean;
            /**
             * Where events are `POST`ed.
             * example:
             * https://shop.example.com/webhooks/switchyard
             */
            url: string;
            /**
             * example:
             * Order fulfilment
             */
            description: string | null;
            /**
             * The event types sent to the endpoint; `null` means every event type.
             * example:
             * [
             *   "invoice.paid",
             *   "invoice.expired",
             *   "invoice.cancelled",
             *   "invoice.failed"
             * ]
             */
            events: /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            EventType[] | null;
            /**
             * Whether events are sent to it. Switchyard disables an endpoint that keeps failing for 5 days.
             */
            enabled: boolean;
            /**
             * Why Switchyard disabled the endpoint: since when its deliveries kept failing and the
             * last attempt's error (`null` when enabled, or disabled by you).
             *
             * example:
             * deliveries kept failing since 2025-06-02T14:05:51.870Z; last attempt: HTTP 502
             */
            disabled_reason: string | null;
            /**
             * When the endpoint was disabled, by Switchyard or by you; `null` while enabled.
             */
            disabled_at: string | null; // date-time
            created_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            updated_at: /**
             * An RFC 3339 timestamp in UTC.
             * example:
             * 2025-06-02T14:03:15.412Z
             */
            Timestamp /* date-time */;
            /**
             * The signing secret, `whsec_` followed by base64 of random bytes; the HMAC key is the
             * base64-decoded part after `whsec_`. Shown only in the answers of create and
             * `rotate-secret`; store it now. Give it as is to a `standardwebhooks` library.
             *
             * example:
             * whsec_Aht/yw33d29phJchf6J6O5DR88DgjnuA39/KnjOwM+k=
             */
            secret: string; // ^whsec_[A-Za-z0-9+/]+={0,2}$
        }
        /**
         * Connects an xRocket Pay app.
         */
        export type XRocketAccountCreate = {
            connector: "xrocket";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The configuration of an xRocket Pay account (`connector: xrocket`). */ XRocketConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of an xRocket Pay account (`connector: xrocket`).
         */
        export type XRocketConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * When present, webhooks for this account from any other source address are refused
             * (`401`, stored with `verification_error: source_not_allowed`). A list of IP
             * addresses or CIDR ranges; xRocket publishes none of its own.
             *
             * example:
             * [
             *   "203.0.113.10",
             *   "198.51.100.0/24"
             * ]
             */
            webhook_ip_allowlist?: string /* ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ */[];
        }
        /**
         * Connects an XthonPay account.
         */
        export type XthonPayAccountCreate = {
            connector: "xthonpay";
            name?: /**
             * A label for your own records.
             * example:
             * Crypto Pay
             */
            GatewayAccountName;
            credentials: /**
             * The connector's credentials, checked against that connector's fields (also listed
             * by `GET /v1/connectors` in `credential_fields`); missing or unknown fields answer
             * `422 validation_failed`. Stored encrypted and never returned.
             *
             * | connector | credentials |
             * | --- | --- |
             * | `sandbox` | none: `{}` |
             * | `cryptopay` | `{"token": "<the app's API token from @CryptoBot → Crypto Pay → My Apps>"}` |
             * | `walletpay` | `{"api_key": "<the store's API key from the Wallet Pay merchant dashboard>"}` |
             * | `btcpay` | `{"api_key": "<Greenfield API key with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices>", "store_id": "<Store → Settings>", "webhook_secret": "<the secret of the store webhook you point at webhook_url>"}`; `config.base_url` is required |
             * | `xthonpay` | `{"api_key": "xpk_live_…", "api_secret": "xps_live_…", "webhook_secret": "<the webhook signing secret>"}` (from @XthonPayBot → API Keys) |
             * | `paystablecoin` | `{"merchant_id": "MCH_…", "api_secret": "<the API secret from the merchant portal>"}` |
             * | `xrocket` | `{"api_key": "<the app's API token from @xRocket → Rocket Pay → Create App → API token>"}` |
             * | `lnbits` | `{"api_key": "<the wallet's Invoice/read key (not the Admin key)>"}`; `config.base_url` is required |
             * | `cln` | `{"rune": "<a rune from lightning-cli createrune allowing getinfo, invoice, listinvoices, waitanyinvoice and delinvoice>"}`; `config.base_url` (your node's clnrest) is required |
             * | `stars` | `{"bot_token": "<the bot's token from @BotFather>"}` (checked with `getMe`); add `"webhook_secret": "<your bot webhook's secret_token>"` only if your bot keeps its webhook and forwards payment updates (see `StarsConfig`) |
             *
             * example:
             * {
             *   "token": "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"
             * }
             */
            GatewayAccountCredentials;
            config?: /* The configuration of an XthonPay account (`connector: xthonpay`). */ XthonPayConfig;
            enabled?: /* `false` connects the account without routing invoices to it yet. */ GatewayAccountEnabled;
            priority?: /**
             * Accounts with a higher priority are tried first.
             * example:
             * 10
             */
            GatewayAccountPriority;
            weight?: /**
             * Shares invoices among accounts of equal priority, in proportion to their weights.
             * example:
             * 1
             */
            GatewayAccountWeight;
            currencies?: /**
             * Only invoices in these currencies are routed to the account; omit it for every currency the connector takes.
             * example:
             * [
             *   "USDT",
             *   "TON",
             *   "BTC"
             * ]
             */
            GatewayAccountCurrencies;
            min_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
            max_amount?: /**
             * A non-negative decimal amount as a string: digits, optionally a dot and up to 18
             * fractional digits, no sign, no exponent, no leading zeros (`"9.99"`, `"0.00012"`,
             * `"100"`). Never a JSON number.
             *
             * example:
             * 9.99
             */
            Money /* ^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$ */;
        }
        /**
         * The configuration of an XthonPay account (`connector: xthonpay`).
         */
        export type XthonPayConfig = {
            base_url?: /**
             * Points the account elsewhere than the upstream's usual API: a testnet, a proxy, an
             * emulator. An absolute `http(s)` URL; one resolving to a private, loopback or
             * link-local address is refused (`422 url_not_allowed`) unless the operator allows
             * such addresses.
             *
             * example:
             * https://cryptopay-proxy.example.com/api
             */
            ConfigBaseUrl /* uri ^[Hh][Tt][Tt][Pp][Ss]?:// */;
            /**
             * XthonPay's guide documents no invoice status query; if your XthonPay API has one,
             * the path under `base_url` with `{external_id}` (our invoice id, which is what
             * Switchyard sends as `external_id`) or `{invoice_id}` (XthonPay's own id, shown as
             * `gateway.upstream_id`), e.g. `/invoices/{external_id}`. It is called
             * signed like every request and enables sync and reconciliation for the account; the
             * answer is read like the create answer plus `status` (`pending`, `paid`).
             *
             * example:
             * /invoices/{external_id}
             */
            status_path?: string;
        }
    }
}
export declare namespace Paths {
    namespace CancelInvoice {
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ChooseCheckoutOption {
        namespace Parameters {
            export type Lang = "en" | "ru";
            export type Token = string;
        }
        export type PathParameters = {
            token: Parameters.Token;
        }
        export type QueryParameters = {
            lang?: Parameters.Lang;
        }
        export type RequestBody = Components.Schemas.CheckoutChoice;
        namespace Responses {
            export type $200 = /* What the buyer's page shows. Nothing here is private to the tenant. */ Components.Schemas.CheckoutState;
            export type $303 = Record<string, never>;
            export type $400 = Components.Responses.BadRequest;
            export type $404 = Components.Responses.NotFound;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace CreateApiKey {
        namespace Parameters {
            export type Id = /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            Components.Schemas.TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = Components.Schemas.ApiKeyCreate;
        namespace Responses {
            export type $201 = /* A newly issued API key, with its secret. The secret is shown this once only. */ Components.Schemas.ApiKeyWithSecret;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace CreateGatewayAccount {
        export type HeaderParameters = {
            "Idempotency-Key"?: Parameters.IdempotencyKey;
        }
        namespace Parameters {
            export type IdempotencyKey = string;
        }
        export type RequestBody = /**
         * One body per connector, chosen by `connector` (`CryptoPayAccountCreate`,
         * `WalletPayAccountCreate`, …): the fields are the same for every connector, only `config`
         * takes the connector's own keys. `min_amount` and `max_amount` (`Money` strings, compared
         * in the invoice's currency) limit the invoice amounts routed to the account; `min_amount`
         * may not exceed `max_amount`.
         *
         */
        Components.Schemas.GatewayAccountCreate;
        namespace Responses {
            export type $201 = /**
             * A connected upstream account. Every field is always present; fields that do not apply
             * are `null`. Credentials are never returned.
             *
             */
            Components.Schemas.GatewayAccount;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $413 = Components.Responses.PayloadTooLarge;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace CreateInvoice {
        export type HeaderParameters = {
            "Idempotency-Key"?: Parameters.IdempotencyKey;
        }
        namespace Parameters {
            export type IdempotencyKey = string;
        }
        export type RequestBody = Components.Schemas.InvoiceCreate;
        namespace Responses {
            export type $201 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $413 = Components.Responses.PayloadTooLarge;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace CreateTenant {
        export type RequestBody = Components.Schemas.TenantCreate;
        namespace Responses {
            export type $201 = Components.Schemas.Tenant;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $413 = Components.Responses.PayloadTooLarge;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace CreateWebhookEndpoint {
        export type HeaderParameters = {
            "Idempotency-Key"?: Parameters.IdempotencyKey;
        }
        namespace Parameters {
            export type IdempotencyKey = string;
        }
        export type RequestBody = Components.Schemas.WebhookEndpointCreate;
        namespace Responses {
            export type $201 = /* A webhook endpoint with its signing secret, as answered by create and `rotate-secret` only. */ Components.Schemas.WebhookEndpointWithSecret;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $413 = Components.Responses.PayloadTooLarge;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace DeleteGatewayAccount {
        namespace Parameters {
            export type Id = /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            Components.Schemas.GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = Components.Schemas.DeletedGatewayAccount;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace DeleteWebhookEndpoint {
        namespace Parameters {
            export type Id = /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            Components.Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = Components.Schemas.DeletedWebhookEndpoint;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetCheckoutPage {
        namespace Parameters {
            export type Change = "1";
            export type Lang = "en" | "ru";
            export type Notice = "rate_limited" | "choice_closed" | "gateway_unavailable" | "simulate_failed";
            export type Token = string;
        }
        export type PathParameters = {
            token: Parameters.Token;
        }
        export type QueryParameters = {
            lang?: Parameters.Lang;
            change?: Parameters.Change;
            notice?: Parameters.Notice;
        }
        namespace Responses {
            export type $200 = string;
            export type $404 = string;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetCheckoutSettings {
        namespace Responses {
            export type $200 = Components.Schemas.CheckoutSettings;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetCheckoutState {
        namespace Parameters {
            export type Token = string;
        }
        export type PathParameters = {
            token: Parameters.Token;
        }
        namespace Responses {
            export type $200 = /* What the buyer's page shows. Nothing here is private to the tenant. */ Components.Schemas.CheckoutState;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetEvent {
        namespace Parameters {
            export type Id = /**
             * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
             * example:
             * evt_01JWRFCNWPR0RPR58K7WT05EK9
             */
            Components.Schemas.EventId /* ^evt_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * Something that happened, as sent to your webhook endpoints. The webhook body is
             * `{"id", "type", "timestamp", "data"}` with `timestamp` equal to `created_at`.
             *
             */
            Components.Schemas.Event;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetGatewayAccount {
        namespace Parameters {
            export type Id = /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            Components.Schemas.GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * A connected upstream account. Every field is always present; fields that do not apply
             * are `null`. Credentials are never returned.
             *
             */
            Components.Schemas.GatewayAccount;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetGatewayAccountBalance {
        namespace Parameters {
            export type Id = /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            Components.Schemas.GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /* A gateway account's balance at its upstream, as the upstream reported it just now. */ Components.Schemas.Balance;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetHealth {
        namespace Responses {
            export type $200 = Components.Schemas.Health;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetIndex {
        namespace Responses {
            export type $200 = /* Where things are, as absolute URLs built from `PUBLIC_BASE_URL`. */ Components.Schemas.ServiceIndex;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetInvoice {
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetInvoiceCheckout {
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /* An invoice's hosted checkout as its tenant sees it. */ Components.Schemas.InvoiceCheckout;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetMetrics {
        namespace Responses {
            export type $200 = string;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetReadiness {
        namespace Responses {
            /**
             * `status` is `ok` only when every check is `ok`.
             */
            export type $200 = {
                status: "ok" | "error" | "ok";
                checks: {
                    postgres: "ok" | "error";
                    redis: "ok" | "error";
                };
            }
            /**
             * `status` is `ok` only when every check is `ok`.
             */
            export type $503 = {
                status: "ok" | "error" | "error";
                checks: {
                    postgres: "ok" | "error";
                    redis: "ok" | "error";
                };
            }
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetSandboxCheckout {
        namespace Parameters {
            export type UpstreamId = string; // ^sbx_[0-9a-f]{24}$
        }
        export type PathParameters = {
            upstream_id: Parameters.UpstreamId /* ^sbx_[0-9a-f]{24}$ */;
        }
        namespace Responses {
            export type $302 = Record<string, never>;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetTenant {
        namespace Parameters {
            export type Id = /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            Components.Schemas.TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = Components.Schemas.Tenant;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetUpstreamWebhook {
        namespace Parameters {
            export type Id = /**
             * A stored upstream webhook's id, `uwh_` followed by 26 characters.
             * example:
             * uwh_01JWRFCN2Q8V5TXHZB7M4KD1RA
             */
            Components.Schemas.UpstreamWebhookId /* ^uwh_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * One request received on `POST /hooks/{connector}/{gateway_account_id}`, as stored before
             * it was answered: verified or not, for a known account or not.
             *
             */
            Components.Schemas.UpstreamWebhook;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace GetWebhookEndpoint {
        namespace Parameters {
            export type Id = /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            Components.Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * A URL Switchyard sends events to. Every field is always present. The signing secret is
             * shown only by create and `rotate-secret` (`WebhookEndpointWithSecret`).
             *
             */
            Components.Schemas.WebhookEndpoint;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListApiKeys {
        namespace Parameters {
            export type Id = /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            Components.Schemas.TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
            export type Limit = number;
            export type StartingAfter = string;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
        }
        namespace Responses {
            export type $200 = Components.Schemas.ApiKeyList;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListConnectors {
        namespace Responses {
            export type $200 = Components.Schemas.ConnectorList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListEventDeliveries {
        namespace Parameters {
            export type Id = /**
             * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
             * example:
             * evt_01JWRFCNWPR0RPR58K7WT05EK9
             */
            Components.Schemas.EventId /* ^evt_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = Components.Schemas.DeliveryList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListEvents {
        namespace Parameters {
            export type Limit = number;
            export type StartingAfter = string;
            export type Type = /**
             * What happened. `invoice.<status>` is sent when an invoice is created or reaches that
             * status (its `data` is the invoice); `invoice.late_payment` when money arrives for an
             * invoice already expired, cancelled or failed (its status stays; `data.paid` shows what
             * came, with `exception`); `webhook_endpoint.disabled` when Switchyard disables one of
             * your endpoints for failing too long (its `data` is that endpoint, with `disabled_reason`
             * and `disabled_at`; sent to your other enabled endpoints that subscribe to it);
             * `webhook.test` only by `POST /v1/webhook-endpoints/{id}/test`.
             * Handle unknown types gracefully: new ones may be added.
             *
             * example:
             * invoice.paid
             */
            Components.Schemas.EventType;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
            type?: Parameters.Type;
        }
        namespace Responses {
            export type $200 = Components.Schemas.EventList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListGatewayAccounts {
        namespace Parameters {
            export type Connector = /**
             * An upstream connector id: `sandbox` (test mode only; invoices are driven by
             * `POST /v1/invoices/{id}/simulate`), `cryptopay` (Crypto Pay, @CryptoBot) or `walletpay`
             * (Telegram Wallet Pay), `btcpay` (a self-hosted BTCPay Server: bitcoin on-chain and
             * Lightning), `xthonpay` (XthonPay, USDT on BSC), `paystablecoin` (PayStablecoin
             * API Checkout: USDT, USDC, USD1 deposits; live mode), `xrocket` (xRocket Pay, @xRocket:
             * crypto invoices paid in Telegram), `lnbits` (a wallet on a self-hosted LNbits server:
             * Lightning invoices in BTC or priced in fiat), `cln` (your own Core Lightning node through
             * its `clnrest` plugin: Lightning invoices in BTC), `stars` (Telegram Stars through a bot: `XTR`
             * invoices). Later upstreams add values here.
             *
             * example:
             * cryptopay
             */
            Components.Schemas.ConnectorId;
            export type Limit = number;
            export type StartingAfter = string;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
            connector?: Parameters.Connector;
        }
        namespace Responses {
            export type $200 = Components.Schemas.GatewayAccountList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListInvoices {
        namespace Parameters {
            export type ExternalId = string;
            export type Limit = number;
            export type StartingAfter = string;
            export type Status = /**
             * `pending` → `processing` (payment seen, awaiting confirmation) → `paid` → `refunded`; or
             * `expired`, `cancelled`, `failed`. `refunded`, `expired`, `cancelled` and `failed` are
             * terminal; `paid` moves only to `refunded` (a refund through the API, or one the upstream
             * reports). States only move forward.
             *
             * example:
             * pending
             */
            Components.Schemas.InvoiceStatus;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
            status?: Parameters.Status;
            external_id?: Parameters.ExternalId;
        }
        namespace Responses {
            export type $200 = Components.Schemas.InvoiceList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListTenants {
        namespace Parameters {
            export type Limit = number;
            export type StartingAfter = string;
            export type Status = /**
             * `suspended` tenants cannot use the API (`403 tenant_suspended`).
             * example:
             * active
             */
            Components.Schemas.TenantStatus;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
            status?: Parameters.Status;
        }
        namespace Responses {
            export type $200 = Components.Schemas.TenantList;
            export type $401 = Components.Responses.Unauthorized;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListUpstreamWebhooks {
        namespace Parameters {
            export type Connector = string;
            export type GatewayAccountId = string;
            export type Limit = number;
            export type Processed = boolean;
            export type StartingAfter = string;
            export type Verified = boolean;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
            connector?: Parameters.Connector;
            gateway_account_id?: Parameters.GatewayAccountId;
            verified?: Parameters.Verified;
            processed?: Parameters.Processed;
        }
        namespace Responses {
            export type $200 = Components.Schemas.UpstreamWebhookList;
            export type $401 = Components.Responses.Unauthorized;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ListWebhookEndpoints {
        namespace Parameters {
            export type Limit = number;
            export type StartingAfter = string;
        }
        export type QueryParameters = {
            limit?: Parameters.Limit;
            starting_after?: Parameters.StartingAfter;
        }
        namespace Responses {
            export type $200 = Components.Schemas.WebhookEndpointList;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace ReceiveUpstreamWebhook {
        namespace Parameters {
            export type Connector = string;
            export type GatewayAccountId = string;
        }
        export type PathParameters = {
            connector: Parameters.Connector;
            gateway_account_id: Parameters.GatewayAccountId;
        }
        namespace Responses {
            export type $200 = {
                [name: string]: any;
            }
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $413 = Components.Responses.PayloadTooLarge;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace RedeliverEvent {
        namespace Parameters {
            export type Id = /**
             * An event id, `evt_` followed by 26 characters. Also the `webhook-id` header.
             * example:
             * evt_01JWRFCNWPR0RPR58K7WT05EK9
             */
            Components.Schemas.EventId /* ^evt_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /* Optional; omit the body (or send `{}`) to redeliver to every enabled endpoint subscribed to the event's type. */ Components.Schemas.RedeliverRequest;
        namespace Responses {
            export type $202 = Components.Schemas.DeliveryList;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace RefundInvoice {
        export type HeaderParameters = {
            "Idempotency-Key"?: Parameters.IdempotencyKey;
        }
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
            export type IdempotencyKey = string;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /* Refunds are always of the whole paid amount. */ Components.Schemas.RefundRequest;
        namespace Responses {
            export type $200 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace RevokeApiKey {
        namespace Parameters {
            export type Id = /**
             * An API key id, `key_` followed by 26 characters.
             * example:
             * key_01JWRF85804TD8ZTHC0FG23ZN8
             */
            Components.Schemas.ApiKeyId /* ^key_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /* A tenant API key. The secret itself is never shown after creation. */ Components.Schemas.ApiKey;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace RotateWebhookEndpointSecret {
        namespace Parameters {
            export type Id = /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            Components.Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /* A webhook endpoint with its signing secret, as answered by create and `rotate-secret` only. */ Components.Schemas.WebhookEndpointWithSecret;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace SimulateCheckout {
        namespace Parameters {
            export type Lang = "en" | "ru";
            export type Token = string;
        }
        export type PathParameters = {
            token: Parameters.Token;
        }
        export type QueryParameters = {
            lang?: Parameters.Lang;
        }
        export type RequestBody = Components.Schemas.CheckoutSimulate;
        namespace Responses {
            export type $200 = /* What the buyer's page shows. Nothing here is private to the tenant. */ Components.Schemas.CheckoutState;
            export type $303 = Record<string, never>;
            export type $400 = Components.Responses.BadRequest;
            export type $404 = Components.Responses.NotFound;
            export type $409 = Components.Responses.Conflict;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace SimulateInvoice {
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /**
         * `paid_amount` (a `Money` string, only meaningful with `status: paid`) defaults to the
         * invoice amount; give a smaller or larger amount to model an underpayment or overpayment.
         *
         */
        Components.Schemas.SimulateRequest;
        namespace Responses {
            export type $200 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace SyncInvoice {
        namespace Parameters {
            export type Id = /**
             * An invoice id, `inv_` followed by 26 characters.
             * example:
             * inv_01JWRF885RR8D8Z0K51D16FDPH
             */
            Components.Schemas.InvoiceId /* ^inv_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $200 = /**
             * An invoice. Every field is always present; fields that do not apply are `null`.
             *
             */
            Components.Schemas.Invoice;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace TestWebhookEndpoint {
        namespace Parameters {
            export type Id = /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            Components.Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        namespace Responses {
            export type $202 = /**
             * Something that happened, as sent to your webhook endpoints. The webhook body is
             * `{"id", "type", "timestamp", "data"}` with `timestamp` equal to `created_at`.
             *
             */
            Components.Schemas.Event;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $409 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace UpdateCheckoutSettings {
        export type RequestBody = Components.Schemas.CheckoutSettingsUpdate;
        namespace Responses {
            export type $200 = Components.Schemas.CheckoutSettings;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace UpdateGatewayAccount {
        namespace Parameters {
            export type Id = /**
             * A gateway account id, `ga_` followed by 26 characters.
             * example:
             * ga_01JWRF867835BD1EWQACN7ENYP
             */
            Components.Schemas.GatewayAccountId /* ^ga_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /* At least one field; fields left out keep their value. `null` clears a field. */ Components.Schemas.GatewayAccountUpdate;
        namespace Responses {
            export type $200 = /**
             * A connected upstream account. Every field is always present; fields that do not apply
             * are `null`. Credentials are never returned.
             *
             */
            Components.Schemas.GatewayAccount;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type $502 = Components.Responses.BadGateway;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace UpdateTenant {
        namespace Parameters {
            export type Id = /**
             * A tenant id, `ten_` followed by 26 characters.
             * example:
             * ten_01JWRF848RBXKYA92YQGCZFXH8
             */
            Components.Schemas.TenantId /* ^ten_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /* At least one field. */ Components.Schemas.TenantUpdate;
        namespace Responses {
            export type $200 = Components.Schemas.Tenant;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $404 = Components.Responses.NotFound;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = Components.Responses.UnprocessableEntity;
            export type Default = Components.Responses.InternalError;
        }
    }
    namespace UpdateWebhookEndpoint {
        namespace Parameters {
            export type Id = /**
             * A webhook endpoint id, `we_` followed by 26 characters.
             * example:
             * we_01JWRF46KVNQJHX3XPF3KFM038
             */
            Components.Schemas.WebhookEndpointId /* ^we_[0-9A-Za-z]{26}$ */;
        }
        export type PathParameters = {
            id: Parameters.Id;
        }
        export type RequestBody = /* At least one field; fields left out keep their value. */ Components.Schemas.WebhookEndpointUpdate;
        namespace Responses {
            export type $200 = /**
             * A URL Switchyard sends events to. Every field is always present. The signing secret is
             * shown only by create and `rotate-secret` (`WebhookEndpointWithSecret`).
             *
             */
            Components.Schemas.WebhookEndpoint;
            export type $400 = Components.Responses.BadRequest;
            export type $401 = Components.Responses.Unauthorized;
            export type $403 = Components.Responses.Forbidden;
            export type $404 = Components.Responses.NotFound;
            export type $415 = Components.Responses.UnsupportedMediaType;
            export type $422 = /**
             * An [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem document, served as
             * `application/problem+json`. Clients should branch on `code`.
             *
             */
            Components.Schemas.Problem;
            export type $429 = Components.Responses.RateLimited;
            export type Default = Components.Responses.InternalError;
        }
    }
}

/** An operation without path or query parameters. */
export type NoParameters = Record<never, never>;

/** Every operation of the document by operationId, with what its handler receives. */
export interface Operations {
  /** GET / */
  getIndex: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /healthz */
  getHealth: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /readyz */
  getReadiness: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /metrics */
  getMetrics: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/connectors */
  listConnectors: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/gateway-accounts */
  listGatewayAccounts: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListGatewayAccounts.QueryParameters;
  };
  /** POST /v1/gateway-accounts */
  createGatewayAccount: {
    requestBody: Paths.CreateGatewayAccount.RequestBody;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/gateway-accounts/{id} */
  getGatewayAccount: {
    requestBody: undefined;
    pathParameters: Paths.GetGatewayAccount.PathParameters;
    queryParameters: NoParameters;
  };
  /** DELETE /v1/gateway-accounts/{id} */
  deleteGatewayAccount: {
    requestBody: undefined;
    pathParameters: Paths.DeleteGatewayAccount.PathParameters;
    queryParameters: NoParameters;
  };
  /** PATCH /v1/gateway-accounts/{id} */
  updateGatewayAccount: {
    requestBody: Paths.UpdateGatewayAccount.RequestBody;
    pathParameters: Paths.UpdateGatewayAccount.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/gateway-accounts/{id}/balance */
  getGatewayAccountBalance: {
    requestBody: undefined;
    pathParameters: Paths.GetGatewayAccountBalance.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/invoices */
  listInvoices: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListInvoices.QueryParameters;
  };
  /** POST /v1/invoices */
  createInvoice: {
    requestBody: Paths.CreateInvoice.RequestBody;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/invoices/{id} */
  getInvoice: {
    requestBody: undefined;
    pathParameters: Paths.GetInvoice.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/invoices/{id}/checkout */
  getInvoiceCheckout: {
    requestBody: undefined;
    pathParameters: Paths.GetInvoiceCheckout.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/checkout-settings */
  getCheckoutSettings: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** PATCH /v1/checkout-settings */
  updateCheckoutSettings: {
    requestBody: Paths.UpdateCheckoutSettings.RequestBody;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/invoices/{id}/cancel */
  cancelInvoice: {
    requestBody: undefined;
    pathParameters: Paths.CancelInvoice.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/invoices/{id}/sync */
  syncInvoice: {
    requestBody: undefined;
    pathParameters: Paths.SyncInvoice.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/invoices/{id}/refund */
  refundInvoice: {
    requestBody: Paths.RefundInvoice.RequestBody | undefined;
    pathParameters: Paths.RefundInvoice.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/invoices/{id}/simulate */
  simulateInvoice: {
    requestBody: Paths.SimulateInvoice.RequestBody;
    pathParameters: Paths.SimulateInvoice.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/webhook-endpoints */
  listWebhookEndpoints: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListWebhookEndpoints.QueryParameters;
  };
  /** POST /v1/webhook-endpoints */
  createWebhookEndpoint: {
    requestBody: Paths.CreateWebhookEndpoint.RequestBody;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/webhook-endpoints/{id} */
  getWebhookEndpoint: {
    requestBody: undefined;
    pathParameters: Paths.GetWebhookEndpoint.PathParameters;
    queryParameters: NoParameters;
  };
  /** DELETE /v1/webhook-endpoints/{id} */
  deleteWebhookEndpoint: {
    requestBody: undefined;
    pathParameters: Paths.DeleteWebhookEndpoint.PathParameters;
    queryParameters: NoParameters;
  };
  /** PATCH /v1/webhook-endpoints/{id} */
  updateWebhookEndpoint: {
    requestBody: Paths.UpdateWebhookEndpoint.RequestBody;
    pathParameters: Paths.UpdateWebhookEndpoint.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/webhook-endpoints/{id}/rotate-secret */
  rotateWebhookEndpointSecret: {
    requestBody: undefined;
    pathParameters: Paths.RotateWebhookEndpointSecret.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/webhook-endpoints/{id}/test */
  testWebhookEndpoint: {
    requestBody: undefined;
    pathParameters: Paths.TestWebhookEndpoint.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/events */
  listEvents: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListEvents.QueryParameters;
  };
  /** GET /v1/events/{id} */
  getEvent: {
    requestBody: undefined;
    pathParameters: Paths.GetEvent.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /v1/events/{id}/deliveries */
  listEventDeliveries: {
    requestBody: undefined;
    pathParameters: Paths.ListEventDeliveries.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /v1/events/{id}/redeliver */
  redeliverEvent: {
    requestBody: Paths.RedeliverEvent.RequestBody | undefined;
    pathParameters: Paths.RedeliverEvent.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /checkout/{token} */
  getCheckoutPage: {
    requestBody: undefined;
    pathParameters: Paths.GetCheckoutPage.PathParameters;
    queryParameters: Paths.GetCheckoutPage.QueryParameters;
  };
  /** GET /checkout/{token}/state */
  getCheckoutState: {
    requestBody: undefined;
    pathParameters: Paths.GetCheckoutState.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /checkout/{token}/choice */
  chooseCheckoutOption: {
    requestBody: Paths.ChooseCheckoutOption.RequestBody;
    pathParameters: Paths.ChooseCheckoutOption.PathParameters;
    queryParameters: Paths.ChooseCheckoutOption.QueryParameters;
  };
  /** POST /checkout/{token}/simulate */
  simulateCheckout: {
    requestBody: Paths.SimulateCheckout.RequestBody;
    pathParameters: Paths.SimulateCheckout.PathParameters;
    queryParameters: Paths.SimulateCheckout.QueryParameters;
  };
  /** GET /sandbox/pay/{upstream_id} */
  getSandboxCheckout: {
    requestBody: undefined;
    pathParameters: Paths.GetSandboxCheckout.PathParameters;
    queryParameters: NoParameters;
  };
  /** POST /hooks/{connector}/{gateway_account_id} */
  receiveUpstreamWebhook: {
    requestBody: unknown;
    pathParameters: Paths.ReceiveUpstreamWebhook.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /admin/v1/tenants */
  listTenants: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListTenants.QueryParameters;
  };
  /** POST /admin/v1/tenants */
  createTenant: {
    requestBody: Paths.CreateTenant.RequestBody;
    pathParameters: NoParameters;
    queryParameters: NoParameters;
  };
  /** GET /admin/v1/tenants/{id} */
  getTenant: {
    requestBody: undefined;
    pathParameters: Paths.GetTenant.PathParameters;
    queryParameters: NoParameters;
  };
  /** PATCH /admin/v1/tenants/{id} */
  updateTenant: {
    requestBody: Paths.UpdateTenant.RequestBody;
    pathParameters: Paths.UpdateTenant.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /admin/v1/tenants/{id}/api-keys */
  listApiKeys: {
    requestBody: undefined;
    pathParameters: Paths.ListApiKeys.PathParameters;
    queryParameters: Paths.ListApiKeys.QueryParameters;
  };
  /** POST /admin/v1/tenants/{id}/api-keys */
  createApiKey: {
    requestBody: Paths.CreateApiKey.RequestBody;
    pathParameters: Paths.CreateApiKey.PathParameters;
    queryParameters: NoParameters;
  };
  /** DELETE /admin/v1/api-keys/{id} */
  revokeApiKey: {
    requestBody: undefined;
    pathParameters: Paths.RevokeApiKey.PathParameters;
    queryParameters: NoParameters;
  };
  /** GET /admin/v1/upstream-webhooks */
  listUpstreamWebhooks: {
    requestBody: undefined;
    pathParameters: NoParameters;
    queryParameters: Paths.ListUpstreamWebhooks.QueryParameters;
  };
  /** GET /admin/v1/upstream-webhooks/{id} */
  getUpstreamWebhook: {
    requestBody: undefined;
    pathParameters: Paths.GetUpstreamWebhook.PathParameters;
    queryParameters: NoParameters;
  };
}

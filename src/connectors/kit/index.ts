/**
 * The connector kit: what every upstream connector is built from, so that a connector is its
 * manifest, schemas, wire mapping and a few small functions.
 */
export { defineConnector, type Account, type ConnectorDefinition } from './define-connector.js';
export { createApiClient, type ApiClientSpec, type Unwrapped } from './api-client.js';
export { createUpstreamHttp, type UpstreamHttp, type UpstreamResponse } from './http.js';
export { UpstreamError, classifyFailure, failureKindForStatus, upstreamErrorOfKind, badResponse, type FailureKind } from './failures.js';
export { verifyHmacWebhook, signWith, hmacSha256, digestsEqual, tokenDigest, tokenDigestScheme, tokenDigestSignature, type HmacWebhookScheme } from './webhook-signature.js';
export { parseAnswer, parseWebhookBody, WebhookBodyError, upstreamAmount, upstreamId, optional, describeIssues, isRecord } from './schemas.js';
export { headerOf } from './headers.js';
export { exactNumbersOut, losslessJson, standardJson, jsonNumber, isJsonNumber, type JsonCodec, type JsonNumber } from './json.js';
export { checkSettings } from './settings.js';
export { baseUrlSetting, baseUrlField, apiBase } from './common-settings.js';
export { requiredText } from './common-settings.js';

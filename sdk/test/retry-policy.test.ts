// When the client retries and how long it waits: the pure policy, without any HTTP.
import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '@switchyard/client';
import { retryDelay, serverDelayMs, type RetrySettings } from '../src/retry.js';

const settings: RetrySettings = { maxRetries: 3, maxDelayMs: 10_000, baseDelayMs: 500 };
const answer = (status: number, code: string, headers: Record<string, string> = {}) =>
  new SwitchyardError({ status, code, title: code, headers: new Headers(headers) });

describe('retryDelay', () => {
  it('backs off exponentially with jitter: each wait within [step/2, step]', () => {
    for (const [attempt, step] of [[0, 500], [1, 1000], [2, 2000]] as const) {
      for (let i = 0; i < 50; i++) {
        const wait = retryDelay(answer(503, 'not_ready'), attempt, 'safe', settings)!;
        expect(wait).toBeGreaterThanOrEqual(step / 2);
        expect(wait).toBeLessThanOrEqual(step);
      }
    }
  });

  it('stops after maxRetries', () => {
    expect(retryDelay(answer(503, 'not_ready'), 3, 'safe', settings)).toBeUndefined();
  });

  it('retries no answer, 5xx, 429 and a still-running idempotency key; never another 4xx', () => {
    for (const err of [answer(0, 'connection_error'), answer(0, 'timeout'), answer(500, 'internal_error'), answer(502, 'http_error'), answer(429, 'rate_limited'), answer(409, 'idempotency_in_progress')]) {
      expect(retryDelay(err, 0, 'safe', settings), err.code).toBeDefined();
    }
    for (const err of [answer(400, 'malformed_json'), answer(401, 'unauthorized'), answer(404, 'not_found'), answer(409, 'invoice_not_cancellable'), answer(422, 'validation_failed'), answer(422, 'idempotency_conflict')]) {
      expect(retryDelay(err, 0, 'safe', settings), err.code).toBeUndefined();
    }
  });

  it("a call that must not run twice ('once') is retried only on 429", () => {
    expect(retryDelay(answer(429, 'rate_limited'), 0, 'once', settings)).toBeDefined();
    for (const err of [answer(0, 'connection_error'), answer(0, 'timeout'), answer(503, 'not_ready'), answer(409, 'idempotency_in_progress')]) {
      expect(retryDelay(err, 0, 'once', settings)).toBeUndefined();
    }
  });

  it('waits what the API asks (plus at most 10% jitter), and not at all when that is over the cap', () => {
    const wait = retryDelay(answer(429, 'rate_limited', { 'Retry-After': '2' }), 0, 'safe', settings)!;
    expect(wait).toBeGreaterThanOrEqual(2000);
    expect(wait).toBeLessThanOrEqual(2200);
    expect(retryDelay(answer(429, 'rate_limited', { 'Retry-After': '11' }), 0, 'safe', settings)).toBeUndefined();
  });
});

describe('serverDelayMs', () => {
  const now = Date.parse('2025-06-02T14:00:00Z');
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(serverDelayMs(new Headers({ 'Retry-After': '3' }), 429, now)).toBe(3000);
    expect(serverDelayMs(new Headers({ 'Retry-After': 'Mon, 02 Jun 2025 14:00:05 GMT' }), 503, now)).toBe(5000);
    expect(serverDelayMs(new Headers({ 'Retry-After': 'Mon, 02 Jun 2025 13:00:00 GMT' }), 503, now)).toBe(0);
  });

  it('falls back to RateLimit-Reset only for a 429 (every answer carries it)', () => {
    expect(serverDelayMs(new Headers({ 'RateLimit-Reset': '4' }), 429, now)).toBe(4000);
    expect(serverDelayMs(new Headers({ 'RateLimit-Reset': '4' }), 503, now)).toBeUndefined();
    expect(serverDelayMs(new Headers(), 429, now)).toBeUndefined();
  });
});

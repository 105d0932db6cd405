import { describe, expect, it } from 'vitest';
import { delayBeforeAttempt, parseRetryAfter } from '../../src/webhooks/outbound/retry-schedule.js';

const schedule = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];
const plain = { statusCode: 500, timedOut: false, retryAfterSeconds: null };
const mid = () => 0.5; // no jitter

describe('retry schedule', () => {
  it('follows the schedule, attempt by attempt, then stops', () => {
    expect(schedule.map((_, i) => delayBeforeAttempt(schedule, i + 1, plain, mid))).toEqual(schedule);
    expect(delayBeforeAttempt(schedule, 9, plain, mid)).toBeNull();
  });

  it('adds at most ±20 % jitter', () => {
    expect(delayBeforeAttempt(schedule, 3, plain, () => 0)).toBe(240);
    expect(delayBeforeAttempt(schedule, 3, plain, () => 1)).toBe(360);
    expect(delayBeforeAttempt(schedule, 1, plain, () => 1)).toBe(0);
  });

  it('backs off longer after a 429 or a timeout', () => {
    expect(delayBeforeAttempt(schedule, 2, { ...plain, statusCode: 429 }, mid)).toBe(30);
    expect(delayBeforeAttempt(schedule, 3, { statusCode: null, timedOut: true, retryAfterSeconds: null }, mid)).toBe(600);
    expect(delayBeforeAttempt([0, 0], 2, { statusCode: 429, timedOut: false, retryAfterSeconds: null }, mid)).toBe(0);
  });

  it('honours Retry-After within bounds', () => {
    expect(delayBeforeAttempt(schedule, 2, { ...plain, statusCode: 503, retryAfterSeconds: 120 }, mid)).toBe(120);
    expect(delayBeforeAttempt(schedule, 3, { ...plain, retryAfterSeconds: 1 }, mid)).toBe(300);
    expect(delayBeforeAttempt(schedule, 2, { ...plain, retryAfterSeconds: 10 ** 9 }, mid)).toBe(86400);
  });

  it('parses Retry-After seconds and dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { tryCandidates } from '../../src/routing/try-candidates.js';
import { createCircuitBreaker } from '../../src/routing/circuit-breaker.js';
import { createMetrics } from '../../src/metrics.js';
import { createLogger } from '../../src/logger.js';
import { UpstreamError } from '../../src/connectors/types.js';
import type { GatewayAccountRow } from '../../src/db/gateway-accounts-repo.js';
import { gatewayAccountRow } from '../helpers/rows.js';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.quit());

const account = (id: string, priority: number) => gatewayAccountRow({ id, priority, connector: 'cryptopay' });
const [first, second, third] = [account('ga_first', 30), account('ga_second', 20), account('ga_third', 10)];

let deps: Parameters<typeof tryCandidates>[2];
beforeEach(() => {
  // A fresh key prefix per test: no circuit state carries over.
  const keyPrefix = `test-${randomBytes(6).toString('hex')}`;
  deps = { breaker: createCircuitBreaker(redis, { keyPrefix, failures: 1, openSeconds: 60, logger: createLogger('silent') }), metrics: createMetrics() };
});

/** Answers per account id: a value, or an error to throw; records the order of calls. */
function upstream(answers: Record<string, string | Error>) {
  const called: string[] = [];
  const call = async (a: GatewayAccountRow) => {
    called.push(a.id);
    const answer = answers[a.id]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { called, call };
}

describe('tryCandidates', () => {
  it('takes the first account by priority that succeeds, recording its attempt', async () => {
    const u = upstream({ ga_first: 'inv-1' });
    const tries = await tryCandidates([third, first, second], u.call, deps);
    expect(u.called).toEqual(['ga_first']);
    expect(tries.created).toEqual({ account: first, result: 'inv-1' });
    expect(tries.attempts).toEqual([
      { account_id: 'ga_first', connector: 'cryptopay', outcome: 'succeeded', code: null, duration_ms: expect.any(Number), selected_by: 'routing', attempted_at: expect.any(String) },
    ]);
  });

  it('fails over on a retryable failure and opens that account\'s circuit', async () => {
    const u = upstream({ ga_first: new UpstreamError('503', 'integration', true, 'HTTP_503'), ga_second: 'inv-2' });
    const tries = await tryCandidates([first, second], u.call, deps);
    expect(tries.created?.account.id).toBe('ga_second');
    expect(tries.attempts.map((a) => [a.account_id, a.outcome, a.code])).toEqual([
      ['ga_first', 'failed', 'HTTP_503'],
      ['ga_second', 'succeeded', null],
    ]);
    expect((await deps.breaker.view('ga_first')).state).toBe('open');

    // Next time the open account is skipped, not called.
    const again = upstream({ ga_second: 'inv-3' });
    const next = await tryCandidates([first, second], again.call, deps);
    expect(again.called).toEqual(['ga_second']);
    expect(next.skipped).toEqual([{ account_id: 'ga_first', reason: 'circuit open after repeated upstream failures' }]);
  });

  it('stops at a decline: another gateway would not fix the request', async () => {
    const u = upstream({ ga_first: new UpstreamError('bad amount', 'decline', false, 'AMOUNT_INVALID'), ga_second: 'never' });
    const tries = await tryCandidates([first, second], u.call, deps);
    expect(u.called).toEqual(['ga_first']);
    expect(tries.created).toBeUndefined();
    expect(tries.attempts).toEqual([expect.objectContaining({ account_id: 'ga_first', outcome: 'declined', code: 'AMOUNT_INVALID' })]);
    expect((await deps.breaker.view('ga_first')).state).toBe('closed');
  });

  it('passes over an unsuitable account without counting an attempt', async () => {
    const u = upstream({ ga_first: new UpstreamError('below minimum', 'unsuitable', false), ga_second: new UpstreamError('also', 'unsuitable', false) });
    const tries = await tryCandidates([first, second], u.call, deps);
    expect(tries).toEqual({
      attempts: [],
      skipped: [],
      unsuitable: [
        { account_id: 'ga_first', reason: 'below minimum' },
        { account_id: 'ga_second', reason: 'also' },
      ],
    });
  });

  it('lets anything but an UpstreamError through: that is a bug, not an upstream answer', async () => {
    const u = upstream({ ga_first: new TypeError('oops') });
    await expect(tryCandidates([first, second], u.call, deps)).rejects.toThrow('oops');
  });
});

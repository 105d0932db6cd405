import { describe, expect, it } from 'vitest';
import { AuthError, InvoiceError, TenantError, ValidationError } from '../../src/domain/errors.js';
import { ApiError, isProblem, renderProblem } from '../../src/http/problem.js';

describe('problem answers from area errors', () => {
  it('renders an area error with its status, title and extras, standard members last', () => {
    const err = new InvoiceError('duplicate_external_id', 'An invoice with external_id "a" already exists', { invoice_id: 'inv_1' });
    const problem = renderProblem(err, 'req_1');
    expect(problem.status).toBe(409);
    expect(problem.headers).toEqual({});
    expect(JSON.stringify(problem.body)).toBe(
      JSON.stringify({
        invoice_id: 'inv_1',
        type: 'https://switchyard.dev/problems/duplicate-external-id',
        title: 'Duplicate external_id',
        status: 409,
        detail: 'An invoice with external_id "a" already exists',
        code: 'duplicate_external_id',
        request_id: 'req_1',
      }),
    );
  });

  it('sends headers apart from the body and lets no extra overwrite a standard member', () => {
    const err = new AuthError('rate_limited', 'slow down', { headers: { 'Retry-After': '3' }, status: 200, code: 'x' });
    const problem = renderProblem(err);
    expect(problem.headers).toEqual({ 'Retry-After': '3' });
    expect(problem.body).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too many requests' });
    expect(problem.body).not.toHaveProperty('headers');
    expect(problem.body).not.toHaveProperty('request_id');
  });

  it('lists field errors after the standard members and derives the detail from them', () => {
    const problem = renderProblem(new ValidationError([{ field: '/body/amount', message: 'too many decimals', code: 'invalid_amount' }]));
    expect(Object.keys(problem.body)).toEqual(['type', 'title', 'status', 'detail', 'code', 'errors']);
    expect(problem.body).toMatchObject({ status: 422, detail: '/body/amount: too many decimals' });
  });

  it('knows area errors and the HTTP layer\'s own, and nothing else', () => {
    expect(isProblem(new TenantError('not_found', 'No tenant ten_1'))).toBe(true);
    expect(isProblem(new ApiError('method_not_allowed', 'no'))).toBe(true);
    expect(new ApiError('payload_too_large', 'big').status).toBe(413);
    expect(isProblem(new Error('boom'))).toBe(false);
    expect(isProblem({ code: 'not_found', message: 'looks like one' })).toBe(false);
  });
});

import type supertest from 'supertest';
import { assertMatchesSpec } from '../../../test/helpers/harness.js';

/**
 * A fetch for the client under test that also checks every answer against openapi/openapi.yaml
 * (as the harness does for supertest answers) and records each request. Mismatches are collected,
 * not thrown: thrown inside fetch they would look like network errors to the client and be retried.
 */
export function specCheckedFetch() {
  const mismatches: string[] = [];
  const requests: Array<{ method: string; url: URL; headers: Headers; status: number }> = [];
  const fetchFn = async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const headers = new Headers(input.headers);
    const res = await fetch(input);
    requests.push({ method: input.method, url, headers, status: res.status });
    const text = await res.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // not JSON: checked as it is
    }
    const answer = { status: res.status, headers: Object.fromEntries(res.headers), body } as unknown as supertest.Response;
    await assertMatchesSpec(input.method, url.pathname + url.search, answer).catch((err: unknown) => {
      mismatches.push(`${input.method} ${url.pathname}${url.search}: ${err instanceof Error ? err.message : String(err)}`);
    });
    return res;
  };
  return { fetch: fetchFn, mismatches, requests };
}

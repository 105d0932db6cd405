import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../db/knex.js';
import type { SecretBox } from '../security/secret-box.js';
import { idempotencyRepo, type IdempotencyFinish } from '../db/idempotency-repo.js';
import { IdempotencyError, type ErrorExtras } from '../domain/errors.js';
import { ApiError, isProblem, problemStatus, type ProblemCode } from './problem.js';

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** Key order does not make two bodies different. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface StoredProblem {
  code: ProblemCode;
  detail: string;
  extras: ErrorExtras;
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/**
 * Idempotency-Key semantics (as openapi/openapi.yaml documents them): the first request runs and its answer (2xx or 4xx) is kept
 * for 24 h; the same key and body replays it; another body is a 422; a key still running is a 409.
 * A 5xx or crash frees the key so the client can retry.
 */
export async function runIdempotently(
  deps: { db: Db; secretBox: SecretBox },
  scope: { tenant_id: string; livemode: boolean; key: string },
  fingerprint: string,
  run: (finish: IdempotencyFinish) => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const { db } = deps;
  // Kept answers can hold secrets (a new endpoint's whsec_): they are encrypted at rest too.
  const context = `idempotency:${scope.tenant_id}:${scope.livemode}:${scope.key}`;
  const seal = (body: unknown) => ({ sealed: deps.secretBox.seal(JSON.stringify(body), context) });
  const open = (stored: unknown) => JSON.parse(deps.secretBox.open((stored as { sealed: string }).sealed, context)) as unknown;
  const existing = await idempotencyRepo.claim(db, scope, fingerprint);
  if (existing) {
    if (existing.request_hash !== fingerprint) {
      throw new IdempotencyError('idempotency_conflict', 'This Idempotency-Key was already used with a different request');
    }
    if (existing.state === 'in_progress') {
      throw new IdempotencyError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly', {
        headers: { 'Retry-After': '1' },
      });
    }
    const stored = open(existing.response_body) as { __problem?: StoredProblem };
    if (stored?.__problem) {
      const { code, detail, extras } = stored.__problem;
      throw new ApiError(code, detail, { ...extras, headers: { ...extras.headers, 'Idempotent-Replayed': 'true' } });
    }
    return { status: existing.response_status!, body: stored, replayed: true };
  }
  let result: { status: number; body: unknown };
  // A service that writes the answer in its own statement (invoice create) completes the key there.
  let completedByRun = false;
  const finish: IdempotencyFinish = { scope, seal, done: () => void (completedByRun = true) };
  try {
    result = await run(finish);
  } catch (err) {
    if (isProblem(err) && problemStatus(err) < 500) {
      const problem: StoredProblem = { code: err.code, detail: err.message, extras: err.extras };
      result = { status: problemStatus(err), body: { __problem: problem } };
      await idempotencyRepo.complete(db, scope, result.status, seal(result.body));
    } else {
      await idempotencyRepo.release(db, scope);
    }
    throw err;
  }
  if (!completedByRun) await idempotencyRepo.complete(db, scope, result.status, seal(result.body));
  return { ...result, replayed: false };
}

/**
 * The shape shared by every POST that creates (and by refunds, which must never run twice):
 * without a key, run and answer; with one, run at most once per key and replay the kept answer.
 */
export async function createIdempotently(
  deps: { db: Db; secretBox: SecretBox },
  req: Request,
  res: Response,
  scope: { tenantId: string; livemode: boolean },
  body: unknown,
  create: (finish?: IdempotencyFinish) => Promise<unknown>,
  /** The answer's status: 201 for what creates an object, 200 for an action on one (a refund). */
  status = 201,
): Promise<void> {
  const key = req.get('Idempotency-Key');
  if (!key) {
    res.status(status).json(await create());
    return;
  }
  const result = await runIdempotently(
    deps,
    { tenant_id: scope.tenantId, livemode: scope.livemode, key },
    requestFingerprint(req.method, req.path, body),
    async (finish) => ({ status, body: await create(finish) }),
  );
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}

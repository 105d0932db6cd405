/** Greenfield error answers, thrown by the handlers and written by the server. */
import type { BtcPayFailure } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export interface ValidationError {
  path: string;
  message: string;
}

export const unauthenticated = () => new ApiError(401, { code: 'unauthenticated', message: 'Authentication is required for accessing this endpoint' });
export const missingPermission = (perm: string) =>
  new ApiError(403, {
    code: 'missing-permission',
    message: `Insufficient API Permissions. Please use an API key with permission "${perm}". You can create an API key in your account's settings / Api Keys.`,
    missingPermission: perm,
  });
export const invoiceNotFound = () => new ApiError(404, { code: 'invoice-not-found', message: 'The invoice was not found' });
/** Marks an answer with no body at all (Kestrel-style 404/405/413). */
export const EMPTY = Symbol('empty body');
export const emptyAnswer = (status: number) => new ApiError(status, EMPTY);

/** The answer for a failure a test injected with failNext. */
export function failureAnswer(f: Omit<BtcPayFailure, 'times'>): ApiError {
  if (f.raw !== undefined) return new ApiError(f.status, { raw: f.raw });
  const code = f.code ?? (f.status === 401 ? 'unauthenticated' : f.status === 404 ? 'not-found' : f.status >= 500 ? 'server-error' : 'generic-error');
  return new ApiError(f.status, { code, message: 'injected failure' });
}

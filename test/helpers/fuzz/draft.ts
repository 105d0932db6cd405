import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Operation } from './spec.js';
import { toJson } from './values.js';

/** A request ready to send: the path is already percent-encoded (or deliberately mis-encoded). */
export interface FuzzRequest {
  operationId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to the valid request, for the failure report. */
  mutations: string[];
}

export type Body = { kind: 'json'; value: unknown } | { kind: 'form'; value: Record<string, string> } | { kind: 'bytes'; bytes: Buffer };

/** A request on its way: valid first, then changed by mutations, then rendered to bytes. */
export interface Draft {
  op: Operation;
  method: string;
  params: Record<string, { value: string; raw?: boolean }>;
  pathTail: string;
  query: Array<{ name: string; value: string; raw?: boolean }>;
  headers: Record<string, string>;
  body?: Body;
  contentType?: string;
  /** `gzip+` etc. compress the body for real; a bare name only labels it. */
  contentEncoding?: string;
  mutations: string[];
}

export type Mutation = (d: Draft) => Draft;

/** A parameter or form value as text. */
export const asParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Percent-encodes like encodeURIComponent; a lone surrogate becomes its (invalid) three UTF-8-style bytes. */
export function encodeComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    const cu = ch.charCodeAt(0);
    if (ch.length === 1 && cu >= 0xd800 && cu <= 0xdfff) {
      out += [0xe0 | (cu >> 12), 0x80 | ((cu >> 6) & 0x3f), 0x80 | (cu & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

const CODERS: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

function renderBody(d: Draft): Buffer | undefined {
  if (!d.body) return undefined;
  const bytes =
    d.body.kind === 'bytes' ? d.body.bytes : d.body.kind === 'form' ? Buffer.from(new URLSearchParams(d.body.value).toString()) : Buffer.from(toJson(d.body.value), 'utf8');
  const real = d.contentEncoding?.endsWith('+') ? d.contentEncoding.slice(0, -1) : undefined;
  return real && CODERS[real] ? CODERS[real](bytes) : bytes;
}

/** How a request reads in a failure report. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body ? `${JSON.stringify(req.body.subarray(0, 300).toString('utf8'))}${req.body.length > 300 ? ` … (${req.body.length} bytes)` : ''}` : '(none)';
  return [
    `${req.method} ${req.path.length > 300 ? `${req.path.slice(0, 300)}… (${req.path.length} characters)` : req.path}`,
    `  operation: ${req.operationId}`,
    `  mutations: ${req.mutations.join('; ') || '(none: a valid request)'}`,
    `  headers: ${JSON.stringify(req.headers).slice(0, 400)}`,
    `  body: ${body}`,
  ].join('\n');
}

/** The request as it goes on the wire. */
export function render(d: Draft): FuzzRequest {
  const path =
    d.op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const p = d.params[name];
      return p === undefined ? '' : p.raw ? p.value : encodeComponent(p.value);
    }) + d.pathTail;
  const query = d.query.map((q) => `${encodeComponent(q.name)}=${q.raw ? q.value : encodeComponent(q.value)}`).join('&');
  const headers = { ...d.headers };
  const body = renderBody(d);
  if (body !== undefined && d.contentType !== undefined) headers['content-type'] = d.contentType;
  if (d.contentEncoding) headers['content-encoding'] = d.contentEncoding.replace(/\+$/, '');
  const req: FuzzRequest = { operationId: d.op.operationId, method: d.method.toUpperCase(), path: query ? `${path}?${query}` : path, headers, ...(body !== undefined ? { body } : {}), mutations: d.mutations };
  // fast-check prints counterexamples with this: the readable summary, not every byte.
  Object.defineProperty(req, fc.toStringMethod, { value: () => `\n${describeRequest(req)}`, enumerable: false });
  return req;
}

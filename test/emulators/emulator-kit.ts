/** Pieces every upstream emulator needs; each keeps its own protocol (envelopes, error shapes). */
import { request } from 'undici';

/** Injected failures per route, each used `times` times in order (`failNext` in every emulator). */
export function createFailureQueue<F>() {
  const queues = new Map<string, Array<{ failure: F; left: number }>>();
  return {
    add(key: string, failure: F, times = 1): void {
      queues.set(key, [...(queues.get(key) ?? []), { failure, left: times }]);
    },
    /** The failure to answer with now for `key`, if one is queued; uses one of its `times`. */
    take(key: string): F | undefined {
      const queue = queues.get(key);
      const head = queue?.[0];
      if (!queue || !head) return undefined;
      if (--head.left <= 0) queue.shift();
      return head.failure;
    },
    keys: (): string[] => [...queues.keys()],
  };
}

/** Change one byte while keeping JSON valid where possible: the first digit becomes another non-zero digit. */
export function tamperBytes(body: Buffer): Buffer {
  const out = Buffer.from(body);
  const i = out.findIndex((b) => b >= 0x30 && b <= 0x39);
  if (i >= 0) {
    const d = out[i]! - 0x30;
    out[i] = 0x30 + (d === 0 ? 1 : d === 9 ? 8 : d + 1);
  } else if (out.length > 0) {
    out[out.length - 1] = out[out.length - 1]! ^ 0x01;
  } else {
    return Buffer.from(' ');
  }
  return out;
}

/** Like the upstreams, refuse bodies over 1 MiB. */
export const MAX_BODY = 1024 * 1024;

/** The request body as bytes; over MAX_BODY, throws what `tooLarge` makes (each upstream's own error). */
export async function readBody(req: AsyncIterable<Buffer>, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/**
 * POSTs a webhook like an upstream: JSON, the signature headers (computed by the caller over the
 * genuine bytes) unless `unsigned`, and one byte changed after signing when `tamper`.
 */
export async function postSignedWebhook(
  url: string,
  body: Buffer,
  signatureHeaders: Record<string, string>,
  o: { tamper?: boolean; unsigned?: boolean } = {},
): Promise<{ status: number; body: string }> {
  const headers = { 'content-type': 'application/json', ...(o.unsigned ? {} : signatureHeaders) };
  const res = await request(url, { method: 'POST', headers, body: o.tamper ? tamperBytes(body) : body });
  return { status: res.statusCode, body: await res.body.text() };
}

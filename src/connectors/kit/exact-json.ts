import { randomBytes } from 'node:crypto';

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * A decimal amount an upstream wants as a JSON number (LNbits' `amount`), written exactly as our
 * decimal string says, digit for digit: never through a JS number, which would round it.
 */
export class JsonDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new TypeError(`not a plain decimal: ${JSON.stringify(text)}`);
  }
}

export const jsonDecimal = (text: string) => new JsonDecimal(text);

/**
 * JSON.stringify, except that every JsonDecimal becomes a bare JSON number with exactly its
 * digits. Each one goes out as a string marked with a random nonce, then the marked strings are
 * replaced by their digits, so no other string in the body can pass for one.
 */
export function toExactJson(value: unknown): string {
  let nonce: string | undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof JsonDecimal)) return v;
    nonce ??= randomBytes(12).toString('hex');
    return `${nonce}:${v.text}`;
  });
  if (nonce === undefined) return text;
  return text.replace(new RegExp(`"${nonce}:(-?[0-9.]+)"`, 'g'), '$1');
}

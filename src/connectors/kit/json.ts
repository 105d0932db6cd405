import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * How a connector reads and writes JSON text. The standard codec is `JSON`; upstreams whose
 * amounts are JSON numbers use `losslessJson`, so that no amount ever passes through a double.
 */
export interface JsonCodec {
  parse(text: string): unknown;
  stringify(value: unknown): string;
}

export const standardJson: JsonCodec = {
  parse: (text) => JSON.parse(text) as unknown,
  stringify: (value) => JSON.stringify(value),
};

/**
 * JSON whose numbers keep their exact text: every number parses to a `JsonNumber` holding the
 * digits as written (`0.000000001`, `12345678901234567.123456789`), and a `JsonNumber` is written
 * back as exactly that literal. Everything else reads and writes like `JSON` (a duplicate key,
 * which `JSON.parse` would silently resolve, is refused as malformed).
 */
export const losslessJson: JsonCodec = {
  parse: (text) => parse(text),
  stringify(value) {
    const text = stringify(value);
    if (text === undefined) throw new TypeError('value has no JSON form');
    return text;
  },
};

/**
 * For upstreams that want decimal amounts as JSON numbers but answer in plain integers (LNbits'
 * msat): bodies are written like `losslessJson` (a `jsonNumber` goes out digit for digit), answers
 * are read with `JSON` so the connector's schemas see ordinary numbers.
 */
export const exactNumbersOut: JsonCodec = {
  parse: standardJson.parse,
  stringify: losslessJson.stringify,
};

/** A JSON number as `losslessJson` reads it: `.value` is its text exactly as written. */
export type JsonNumber = LosslessNumber;

export const isJsonNumber = (value: unknown): value is JsonNumber => isLosslessNumber(value);

/** A decimal string that is also a JSON number literal: no sign other than `-`, no leading zeros, no exponent. */
const JSON_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * A decimal string (our money) as a JSON number literal, written by `losslessJson` digit for
 * digit, never through a JS number: `jsonNumber('123456.123456789')` is sent as
 * `123456.123456789`.
 */
export function jsonNumber(decimal: string): JsonNumber {
  if (!JSON_DECIMAL.test(decimal)) throw new TypeError(`not a plain decimal: ${JSON.stringify(decimal)}`);
  return new LosslessNumber(decimal);
}

/**
 * BOLT11 payment requests as Core Lightning writes them, for the CLN emulator: bech32 with the
 * network's prefix and the amount in the human-readable part, a timestamp, tagged fields (payment
 * hash, payment secret, description, expiry, payee node id), and a 65-byte signature. The
 * signature is random bytes, not a real one over the request (computing the recovery id needs
 * curve arithmetic the emulator has no use for): wallets decode these, they would not pay them.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

export const BOLT11_PREFIX = { bitcoin: 'lnbc', testnet: 'lntb', signet: 'lntbs', regtest: 'lnbcrt' } as const;
export type LightningNetwork = keyof typeof BOLT11_PREFIX;

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const chars = [...hrp].map((c) => c.charCodeAt(0));
  return [...chars.map((c) => c >> 5), 0, ...chars.map((c) => c & 31)];
}

/** The 6-word bech32 checksum of `words` under `hrp`. */
export function bech32Checksum(hrp: string, words: number[]): number[] {
  const mod = polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  return Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
}

/** Whether a bech32 string's checksum holds (what any decoder checks first). */
export function bech32Valid(text: string): boolean {
  const lower = text.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1) return false;
  const words = [...lower.slice(sep + 1)].map((c) => CHARSET.indexOf(c));
  return !words.includes(-1) && polymod([...hrpExpand(lower.slice(0, sep)), ...words]) === 1;
}

/** 8-bit bytes to 5-bit words, padded. */
function toWords(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >>> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** An unsigned integer as big-endian 5-bit words (at least one). */
function intWords(n: number, minLength = 1): number[] {
  const out: number[] = [];
  let v = n;
  do {
    out.unshift(v % 32);
    v = Math.floor(v / 32);
  } while (v > 0);
  while (out.length < minLength) out.unshift(0);
  return out;
}

function tagged(type: string, data: number[]): number[] {
  return [CHARSET.indexOf(type), ...intWords(data.length, 2), ...data];
}

/** The amount part of the prefix: the largest unit (m, u, n, p) that writes it as a whole number. */
export function bolt11Amount(msat: bigint): string {
  if (msat % 100_000_000n === 0n) return `${msat / 100_000_000n}m`;
  if (msat % 100_000n === 0n) return `${msat / 100_000n}u`;
  if (msat % 100n === 0n) return `${msat / 100n}n`;
  return `${msat * 10n}p`;
}

export function encodeBolt11(o: {
  network: LightningNetwork;
  amountMsat: bigint | null;
  timestamp: number;
  paymentHash: Buffer;
  paymentSecret: Buffer;
  description: string;
  expiry: number;
  payee: Buffer;
  signature: Buffer;
}): string {
  const hrp = `${BOLT11_PREFIX[o.network]}${o.amountMsat === null ? '' : bolt11Amount(o.amountMsat)}`;
  const words = [
    ...intWords(o.timestamp, 7),
    ...tagged('p', toWords(o.paymentHash)),
    ...tagged('s', toWords(o.paymentSecret)),
    ...tagged('d', toWords(Buffer.from(o.description, 'utf8'))),
    ...tagged('x', intWords(o.expiry)),
    ...tagged('n', toWords(o.payee)),
    ...toWords(o.signature),
  ];
  return `${hrp}1${[...words, ...bech32Checksum(hrp, words)].map((w) => CHARSET[w]).join('')}`;
}

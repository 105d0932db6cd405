/**
 * The texts of a Telegram invoice, derived from ours: a title (1-32 characters) and a
 * description (1-255). Longer texts are cut at a grapheme boundary (an emoji, a flag or a
 * letter with its accents is never split, let alone a surrogate pair) and end with an ellipsis.
 * Lengths are counted in UTF-16 code units, Telegram's own measure of text length; a text that
 * fits in N code units also has at most N code points, whichever Telegram counts.
 */

export const TITLE_MAX = 32;
export const DESCRIPTION_MAX = 255;
const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` in at most `max` UTF-16 code units: whole graphemes, then an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - ELLIPSIS.length) break;
    kept += segment;
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/** Whitespace (newlines included) collapsed to single spaces, trimmed. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export interface InvoiceTexts {
  title: string;
  description: string;
}

/**
 * Title: the first line of our description (or "Payment"); description: the whole description
 * (or what is paid and our reference, for support).
 */
export function invoiceTexts(input: { invoiceId: string; amount: string; description: string | null }): InvoiceTexts {
  const described = input.description?.trim() ? input.description.trim() : null;
  const firstLine = described ? oneLine(described.split(/\r?\n/).find((l) => l.trim()) ?? described) : '';
  const title = truncate(firstLine || 'Payment', TITLE_MAX);
  const description = truncate(described ? described.replace(/[^\S\n]+/g, ' ') : `Payment of ${input.amount} Telegram Stars (ref. ${input.invoiceId})`, DESCRIPTION_MAX);
  return { title, description };
}

import type { Lang } from './i18n/index.js';

/**
 * Numbers and times as the page shows them. Amounts stay decimal strings (never floats); only the
 * header amount gets digit grouping, amounts to send are shown exactly as the wallet needs them.
 */

const SEPARATORS: Record<Lang, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  ru: { group: '\u00a0', decimal: ',' },
};

/** "1234567.50" → "1,234,567.50" (en) or "1 234 567,50" (ru); anything not a plain decimal is left as it is. */
export function formatAmount(amount: string, lang: Lang): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return amount;
  const { group, decimal } = SEPARATORS[lang];
  const int = (m[1] ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return m[2] === undefined ? int : `${int}${decimal}${m[2]}`;
}

/** The countdown is shown (and ticked by the script) only below a day; longer windows show the date. */
export const COUNTDOWN_MAX_MS = 24 * 3600 * 1000;

/** Remaining time as "m:ss" or "h:mm:ss"; public/checkout/checkout.js formats it the same way. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "14:05" in UTC. */
export function formatUtcTime(d: Date): string {
  return d.toISOString().slice(11, 16);
}

/** "2026-01-31 14:05" in UTC. */
export function formatUtcDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 10)} ${formatUtcTime(d)}`;
}

import { en, type MessageKey, type Messages } from './en.js';
import { ru } from './ru.js';

export type { MessageKey, Messages };

export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

const CATALOGUES: Record<Lang, Messages> = { en, ru };

export function catalogue(lang: Lang): Messages {
  return CATALOGUES[lang];
}

/** The language of a tag like `ru`, `ru-RU` or `EN_us`, when the page speaks it. */
function langOf(tag: string): Lang | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (LANGS as readonly string[]).includes(primary ?? '') ? (primary as Lang) : null;
}

/**
 * The page's language: a `?lang=` the page speaks wins, then the Accept-Language entry with the
 * highest q-value the page speaks (earlier entries win ties), else English.
 */
export function pickLanguage(acceptLanguage: string | undefined, langParam: string | undefined): Lang {
  const fromParam = langParam ? langOf(langParam) : null;
  if (fromParam) return fromParam;
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { lang: langOf(tag), q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0, index };
    })
    .filter((e): e is { lang: Lang; q: number; index: number } => e.lang !== null && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang ?? 'en';
}

/** A message with `{name}` placeholders filled, as plain text (for attributes and titles; the html template escapes it). */
export function interpolate(message: string, vars: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

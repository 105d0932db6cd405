/**
 * Links from the tenant (support, return URLs) or an upstream (pay URLs) become hrefs only when
 * they are absolute http(s) URLs (or a Telegram `tg:` link where a deep link is expected):
 * escaping alone would still let `javascript:` through.
 */
export function safeLink(url: string | null | undefined, opts: { telegram?: boolean } = {}): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const allowed = parsed.protocol === 'https:' || parsed.protocol === 'http:' || (opts.telegram === true && parsed.protocol === 'tg:');
  return allowed ? url : null;
}

const TELEGRAM_HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog']);

/** A Telegram deep link: t.me (and its aliases) over https, or the tg: scheme. */
export function isTelegramLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'tg:' || (u.protocol === 'https:' && TELEGRAM_HOSTS.has(u.hostname.toLowerCase()));
  } catch {
    return false;
  }
}

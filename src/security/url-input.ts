import { ValidationError, type FieldError } from '../domain/errors.js';

/** What one tenant URL field accepts. */
export interface UrlRule {
  /** Allowed schemes, with their colon (`https:`); checked after parsing, so case does not matter. */
  schemes: readonly string[];
  /** URLs we connect to (webhook endpoints, base_urls) must not carry credentials that would be sent along. */
  credentials?: 'refused' | 'allowed';
}

const SCHEME_NAMES: Record<string, string> = { 'http:': 'http', 'https:': 'https' };

function schemesText(schemes: readonly string[]): string {
  const web = schemes.includes('http:') && schemes.includes('https:');
  const names = web ? ['http(s)', ...schemes.filter((s) => s !== 'http:' && s !== 'https:')] : [...schemes];
  return names.map((s) => SCHEME_NAMES[s] ?? s).join(' or ');
}

/**
 * The one check of the shape of every URL a tenant gives us (webhook endpoint `url`, gateway
 * `config.base_url`, invoice return URLs, the checkout `support_url`): it must be what WHATWG
 * URL parses (what we later fetch or put in a link), with an allowed scheme and, for web URLs,
 * a host. Returns the field error, or the parsed URL.
 */
export function checkUrlInput(value: string, field: string, rule: UrlRule): { url: URL } | { error: FieldError } {
  const fail = (message: string) => ({ error: { field, message, code: 'invalid_url' } });
  if (!URL.canParse(value)) return fail(`must be an absolute ${schemesText(rule.schemes)} URL`);
  const url = new URL(value);
  if (!rule.schemes.includes(url.protocol)) return fail(`must be an ${schemesText(rule.schemes)} URL`);
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') return fail('must name a host');
  if (url.protocol === 'mailto:' && url.pathname === '') return fail('must name an address');
  if (rule.credentials === 'refused' && (url.username || url.password)) return fail('must not carry credentials');
  return { url };
}

/** checkUrlInput, throwing its error as a 422. */
export function parseUrlInput(value: string, field: string, rule: UrlRule): URL {
  const checked = checkUrlInput(value, field, rule);
  if ('error' in checked) throw new ValidationError([checked.error]);
  return checked.url;
}

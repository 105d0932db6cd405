/**
 * A tagged template for HTML that escapes every interpolated value. Only fragments made by this
 * template themselves (SafeHtml) pass through unescaped, so text from the tenant or an upstream can
 * never become markup. Attribute values must be quoted in the template; quotes are escaped too.
 */

const BRAND = Symbol('SafeHtml');

export interface SafeHtml {
  readonly [BRAND]: true;
  readonly html: string;
  toString(): string;
}

function safe(text: string): SafeHtml {
  return Object.freeze({ [BRAND]: true as const, html: text, toString: () => text });
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A value allowed inside the template: text (escaped), numbers, safe fragments, lists of them; null, undefined and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafeHtml(value)) return value.html;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return safe(out);
}

/**
 * A translated message with `{name}` placeholders filled: the message text and plain-string values
 * are escaped, SafeHtml values (e.g. a `<span>` the script updates) are inserted as they are.
 */
export function fill(message: string, vars: Record<string, SafeHtml | string> = {}): SafeHtml {
  const parts = message.split(/\{(\w+)\}/);
  return safe(parts.map((part, i) => (i % 2 === 0 ? escapeHtml(part) : render(vars[part] ?? `{${part}}`))).join(''));
}

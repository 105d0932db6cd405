import { ValidationError } from '../domain/errors.js';

/**
 * What PostgreSQL cannot store in text or jsonb, both reachable from a JSON string: U+0000 (no
 * column type takes it) and a UTF-16 surrogate without its pair (`"\ud800"`: jsonb refuses it,
 * text would silently get U+FFFD instead).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Flaw = 'nul_character' | 'unpaired_surrogate';

const MESSAGES: Record<Flaw, string> = {
  nul_character: 'must not contain the NUL character (\\u0000)',
  unpaired_surrogate: 'must not contain an unpaired UTF-16 surrogate (\\ud800-\\udfff without its pair): send well-formed Unicode',
};

function flawOf(text: string): Flaw | undefined {
  if (text.includes('\u0000')) return 'nul_character';
  if (LONE_SURROGATE.test(text)) return 'unpaired_surrogate';
  return undefined;
}

/** A key as it may be shown in a field pointer: the unstorable characters replaced. */
const printable = (key: string) => key.replaceAll('\u0000', '').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');

/**
 * The first string or key in `value` that PostgreSQL could not store, as a field error at its
 * pointer (`/body/metadata/note`), or undefined. Walks with an explicit stack: no recursion, so
 * any nesting is safe (bodies are also depth-limited before parsing).
 */
export function findUnstorableText(value: unknown, root: string): { field: string; message: string; code: Flaw } | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      const flaw = flawOf(item);
      if (flaw) return { field: at, message: MESSAGES[flaw], code: flaw };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${at}/${i}`]);
    } else if (item && typeof item === 'object') {
      const entries = Object.entries(item);
      for (const [key] of entries) {
        const flaw = flawOf(key);
        if (flaw) return { field: `${at}/${printable(key)}`, message: `${MESSAGES[flaw].replace('must not', 'a key must not')}`, code: flaw };
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], `${at}/${entries[i]![0]}`]);
    }
  }
  return undefined;
}

/** The 422 for input PostgreSQL could not store, or undefined when all of it is storable. */
export function unstorableTextError(value: unknown, root: string): ValidationError | undefined {
  const found = findUnstorableText(value, root);
  return found ? new ValidationError([found]) : undefined;
}

/**
 * Deepest nesting of objects and arrays the API reads in a JSON body. Every body the API
 * documents fits in a handful of levels (metadata and config may nest freely, but not deeper
 * than this); anything deeper is refused before it is parsed, so no later step (validation,
 * serialization, logging) ever walks an unbounded structure.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `text`, read as JSON, nests objects and arrays deeper than `max`. One pass over the
 * characters without recursion: brackets inside strings (escapes included) do not count.
 * Broken JSON is not judged here; JSON.parse reports it afterwards.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

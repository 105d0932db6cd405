/** Header lookup that ignores case, for headers stored or forwarded with any capitalisation. */
export function headerOf(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower && v !== undefined) return v;
  return undefined;
}

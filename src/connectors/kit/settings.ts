import type { z } from 'zod';
import type { ConnectorManifest, SettingError } from '../types.js';
import { isRecord, pointer } from './schemas.js';

function schemaErrors(schema: z.ZodType, value: unknown, base: string): SettingError[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ field: `${base}${i.path.length ? pointer(i.path) : ''}`, message: i.message }));
}

/**
 * The one place an account's settings are checked: keys the manifest does not declare are
 * refused by name (another connector's field is a mistake, not something to ignore silently),
 * then the connector's schema checks the values.
 */
export function checkSettings(
  manifest: ConnectorManifest,
  kind: 'credentials' | 'config',
  schema: z.ZodType,
  value: unknown,
): SettingError[] {
  const base = `/${kind}`;
  const declared = kind === 'credentials' ? manifest.credentialFields.map((f) => f.name) : manifest.configFields.map((f) => f.name);
  if (value === undefined && kind === 'credentials' && declared.length === 0) return [];
  if (!isRecord(value)) return [{ field: base, message: 'must be an object' }];
  const what = kind === 'credentials' ? 'credential' : 'setting';
  const allowed = declared.length ? `; it takes ${declared.join(', ')}` : `; it takes none`;
  const unknown = Object.keys(value)
    .filter((k) => !declared.includes(k))
    .map((k) => ({ field: `${base}/${k}`, message: `is not a ${manifest.name} ${what}${allowed}` }));
  return [...unknown, ...schemaErrors(schema, value, base)];
}

/** Settings read back from storage: checked once more, so a connector never works on a wrong shape. */
export function readSettings<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new Error(`stored ${what} do not fit the connector: ${result.error.issues.map((i) => `${pointer(i.path)} ${i.message}`).join('; ')}`);
  }
  return result.data;
}

import { DEFAULT_SETTINGS, type Settings, settingsSchema } from '../../protocol/settings';

/**
 * Reads stored settings field by field: a hand-edited or outdated file loses only
 * the fields that are wrong (they fall back to defaults, each with a reason), never
 * the whole file and never the app's start.
 */
export function readSettings(stored: unknown): { settings: Settings; problems: string[] } {
  const source = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(settingsSchema.shape)) {
    if (!(key in source)) continue;
    const parsed = schema.safeParse(source[key]);
    if (parsed.success) settings[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'} (using the default)`);
  }
  return { settings: settings as Settings, problems };
}

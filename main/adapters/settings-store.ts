import Store from 'electron-store';
import { type Settings, settingsSchema } from '../../protocol/settings';
import { readSettings } from '../services/settings-file';

/** Settings in the user's profile (electron-store: atomic writes, per-OS location). */
export class SettingsStore {
  private readonly store = new Store<Record<string, unknown>>({ name: 'settings' });
  private current: Settings;

  constructor(onProblem: (problem: string) => void) {
    const { settings, problems } = readSettings(this.store.store);
    problems.forEach(onProblem);
    this.current = settings;
  }

  get(): Settings {
    return this.current;
  }

  /** Throws (with zod's reason) on invalid input; nothing is written then. */
  save(input: unknown): Settings {
    const settings = settingsSchema.parse(input);
    this.store.set(settings);
    this.current = settings;
    return settings;
  }
}

import type { PeerDeskHostApi } from '../../protocol/host-api';
import { type Settings, settingsSchema } from '../../protocol/settings';
import { focusFirst, h, mount } from '../ui/dom';

type Field = { key: keyof Settings; label: string; hint: string; type?: string };

const FIELDS: Field[] = [
  { key: 'displayName', label: 'Your name', hint: 'Shown to the person you help.' },
  { key: 'signalingUrl', label: 'PeerDesk server', hint: 'Leave empty to use the server built into this app (same network).' },
  { key: 'revokeHotkey', label: 'Take-back-control shortcut', hint: 'For example Control+Alt+Shift+X.' },
  { key: 'lanPort', label: 'Port for browsers on this network', hint: 'Used by the built-in server.', type: 'number' },
  { key: 'downloadFolder', label: 'Save received files in', hint: 'A full folder path. Leave empty for your Downloads folder.' },
  { key: 'maxFileMiB', label: 'Largest file to receive (MiB)', hint: 'Bigger files are declined before any byte is sent.', type: 'number' },
  {
    key: 'onlyVerified',
    label: 'Only verified technicians',
    hint: 'Requests from anyone not signed in through the PeerDesk server are declined without asking you, even when the server allows them.',
    type: 'checkbox',
  },
  {
    key: 'verifiedDomains',
    label: 'Only verified technicians from',
    hint: 'Email domains separated by commas, such as example.com. Leave empty for any signed-in technician.',
  },
];
const NUMERIC = new Set<keyof Settings>(['lanPort', 'maxFileMiB']);

/** Desktop settings: checked with the same schema main uses before anything is saved. */
export async function settingsScreen(root: HTMLElement, api: PeerDeskHostApi, onDone: () => void): Promise<void> {
  document.body.dataset.screen = 'settings';
  const current = await api.settings!();
  const inputs = new Map<keyof Settings, HTMLInputElement>();
  const message = h('p', { id: 'settings-message', role: 'status' });
  const rows = FIELDS.map((f) => {
    const checkbox = f.type === 'checkbox';
    const value = checkbox ? { checked: current[f.key] === true } : { value: String(current[f.key]) };
    const input = h('input', { id: `setting-${f.key}`, name: f.key, type: f.type ?? 'text', ...value });
    inputs.set(f.key, input);
    return h('label', {}, h('span', {}, f.label), input, h('small', { class: 'hint' }, f.hint));
  });
  const save = async (e: Event) => {
    e.preventDefault();
    const read = (key: keyof Settings, input: HTMLInputElement) =>
      input.type === 'checkbox' ? input.checked : NUMERIC.has(key) ? Number(input.value) : input.value.trim();
    const draft = Object.fromEntries([...inputs].map(([key, input]) => [key, read(key, input)]));
    const checked = settingsSchema.safeParse(draft);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      message.className = 'error';
      message.textContent = `${FIELDS.find((f) => f.key === issue.path[0])?.label ?? 'A setting'}: ${issue.message}`;
      return;
    }
    try {
      await api.saveSettings!(checked.data);
      message.className = 'notice';
      message.textContent =
        'Saved. A new server address, port or shortcut applies after PeerDesk restarts; the file settings apply to the next file.';
    } catch (err) {
      message.className = 'error';
      message.textContent = `Not saved: ${(err as Error).message}`;
    }
  };
  mount(
    root,
    h(
      'form',
      { class: 'card join-form settings', on: { submit: (e) => void save(e) } },
      h('h2', {}, 'Settings'),
      ...rows,
      message,
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'primary', type: 'submit', id: 'save-settings' }, 'Save'),
        h('button', { class: 'secondary', type: 'button', on: { click: onDone } }, 'Back'),
      ),
    ),
  );
  focusFirst(root);
}

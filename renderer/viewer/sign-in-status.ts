import { z } from 'zod';
import { typedNameSchema } from '../../protocol/signaling-messages';
import { h, mount } from '../ui/dom';

/** What the signaling server's /auth/me answers (never a token). */
const meSchema = z.object({
  enabled: z.boolean(),
  signedIn: z.boolean(),
  name: z.string().optional(),
  email: z.string().optional(),
  requireSignIn: z.boolean().optional(),
});
type Me = z.infer<typeof meSchema>;

/** The server this page came from, when it offers sign-in; undefined elsewhere (the desktop app, an older server). */
async function fetchMe(): Promise<Me | undefined> {
  if (!/^https?:$/.test(location.protocol)) return undefined;
  try {
    const res = await fetch('/auth/me', { credentials: 'same-origin', cache: 'no-store' });
    return res.ok ? meSchema.parse(await res.json()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The join form's technician sign-in line: "Sign in as a technician", or "Signed in as <name> (<email>) · Sign out".
 * Signed in, the name field shows the verified name and is locked: the server sends that name, not a typed one.
 * Empty when the server has no sign-in.
 */
export function signInStatus(nameField: HTMLInputElement): HTMLElement {
  const box = h('p', { class: 'sign-in-status', id: 'sign-in-status', hidden: true });
  const typed = nameField.value;
  const render = (me: Me | undefined) => {
    box.hidden = !me?.enabled;
    if (!me?.enabled) return;
    box.dataset.signedIn = String(me.signedIn);
    if (me.signedIn) {
      // The server sends the verified name whatever this field says; a verified name shaped like an email would not pass
      // as a typed one, so the field then says only what it is.
      nameField.value = typedNameSchema.safeParse(me.name).success ? me.name! : 'Signed-in technician';
      nameField.readOnly = true;
      const signOut = h('button', { type: 'button', class: 'link', id: 'sign-out', on: { click: () => void logout() } }, 'Sign out');
      return mount(box, 'Signed in as ', h('strong', {}, me.name ?? ''), ` (${me.email ?? ''}) · `, signOut);
    }
    nameField.readOnly = false;
    nameField.value = typed;
    const back = encodeURIComponent(`${location.pathname}${location.search}${location.hash}`);
    const link = h('a', { href: `/auth/login?return=${back}`, id: 'sign-in' }, 'Sign in as a technician');
    const rule = me.requireSignIn ? ' — this server admits signed-in technicians only.' : ' to show the person your verified name.';
    mount(box, link, rule);
  };
  const logout = async () => {
    await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    render(await fetchMe());
  };
  void fetchMe().then(render);
  return box;
}

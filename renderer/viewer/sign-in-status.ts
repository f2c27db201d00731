import * as z from 'zod';
import type { PeerDeskHostApi } from '../../protocol/host-api';
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

/** Where the sign-in state comes from: the page's own server (cookie), or the desktop app's main process. */
interface SignInSource {
  me(): Promise<Me | undefined>;
  /** The "Sign in" element: a link to the server's login (browser), a button that opens the system browser (app). */
  start(render: (me: Me | undefined) => void, status: (text: string) => void): HTMLElement;
  signOut(): Promise<void>;
}

/** The server this page came from, when it offers sign-in; undefined elsewhere (the desktop app, an older server). */
const pageSource: SignInSource = {
  async me() {
    if (!/^https?:$/.test(location.protocol)) return undefined;
    try {
      const res = await fetch('/auth/me', { credentials: 'same-origin', cache: 'no-store' });
      return res.ok ? meSchema.parse(await res.json()) : undefined;
    } catch {
      return undefined;
    }
  },
  start() {
    const back = encodeURIComponent(`${location.pathname}${location.search}${location.hash}`);
    return h('a', { href: `/auth/login?return=${back}`, id: 'sign-in' }, 'Sign in as a technician');
  },
  async signOut() {
    await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
  },
};

type DesktopSignIn = Required<Pick<PeerDeskHostApi, 'technicianSignIn' | 'technicianSignOut' | 'technicianStatus'>>;

/**
 * The desktop app: main signs in through the system browser (RFC 8252) and keeps the credential; the page learns only
 * who signed in. While the browser is open the line says so; a second click starts over.
 */
function desktopSource(api: DesktopSignIn): SignInSource {
  const source: SignInSource = {
    async me() {
      const s = await api.technicianStatus().catch(() => undefined);
      if (!s) return undefined;
      const t = s.technician;
      return t ? { enabled: true, signedIn: true, name: t.name, email: t.email } : { enabled: s.enabled, signedIn: false };
    },
    start(render, status) {
      const signIn = async () => {
        status('finish signing in in your browser…');
        try {
          await api.technicianSignIn();
        } catch (err) {
          const cancelled = /SIGN_IN_ERR_CANCELLED/.test(String(err));
          if (!cancelled) status('sign-in did not finish; try again.');
          return;
        }
        render(await source.me());
      };
      return h('button', { type: 'button', class: 'link', id: 'sign-in', on: { click: () => void signIn() } }, 'Sign in as a technician');
    },
    async signOut() {
      await api.technicianSignOut();
    },
  };
  return source;
}

const hasDesktopSignIn = (api: PeerDeskHostApi | undefined): api is PeerDeskHostApi & DesktopSignIn =>
  !!api?.technicianStatus && !!api.technicianSignIn && !!api.technicianSignOut;

/**
 * The join form's technician sign-in line: "Sign in as a technician", or "Signed in as <name> (<email>) · Sign out".
 * Signed in, the name field shows the verified name and is locked: the server sends that name, not a typed one.
 * Empty when the server has no sign-in.
 */
export function signInStatus(nameField: HTMLInputElement, api: PeerDeskHostApi | undefined = window.peerdesk): HTMLElement {
  const source = hasDesktopSignIn(api) ? desktopSource(api) : pageSource;
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
    const rule = me.requireSignIn ? ' — this server admits signed-in technicians only.' : ' to show the person your verified name.';
    // While the system browser is open the line says what to do there (the link starts over).
    const note = h('span', { id: 'sign-in-note', role: 'status' }, rule);
    mount(
      box,
      source.start(render, (text) => (note.textContent = ` — ${text}`)),
      note,
    );
  };
  const logout = async () => {
    await source.signOut();
    render(await source.me());
  };
  void source.me().then(render);
  return box;
}

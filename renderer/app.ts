import { ConsoleScreen } from './console/console-screen';
import { askerFromParams, consentWindow } from './desktop/consent-window';
import { indicatorWindow } from './desktop/indicator-window';
import { overlayWindow } from './desktop/overlay-window';
import { settingsScreen } from './desktop/settings-screen';
import { HostScreen } from './host/host-screen';
import { SignalingConnection } from './net/signaling-connection';
import { h, mount } from './ui/dom';
import { forceRelay } from './instrumented';
import { ViewerScreen } from './viewer/viewer-screen';
import { loadTicket, stampTicketOnLeave } from './viewer/resume-ticket';

/**
 * Entry point for both roles. Runs unchanged in Electron (where `window.peerdesk`
 * exists) and as the page the signaling server serves (where it does not).
 */
const root = document.getElementById('app')!;
const api = window.peerdesk;
const params = new URLSearchParams(location.search);

async function signalingUrl(): Promise<string> {
  return api ? api.signalingUrl() : SignalingConnection.defaultUrl();
}

/** A technician's page that reloaded mid-session goes straight back into it. */
async function resumeViewer(ticket: NonNullable<ReturnType<typeof loadTicket>>): Promise<void> {
  await new ViewerScreen(root, await signalingUrl(), home, forceRelay, ticket.name).resume(ticket);
}

async function open(role: 'host' | 'viewer'): Promise<void> {
  const url = await signalingUrl();
  if (role === 'host') await new HostScreen(root, api, url, home).start();
  else {
    const name = (await api?.settings?.())?.displayName ?? '';
    new ViewerScreen(root, url, home, forceRelay, name).start();
  }
}

/** `/console`: the signed-in technician's queue; a picked request opens in the viewer, and ends back here. */
async function openConsole(): Promise<void> {
  const url = await signalingUrl();
  const openPicked = (requestId: string, name: string, back: () => void) =>
    void new ViewerScreen(root, url, back, forceRelay, name).pick(requestId);
  await new ConsoleScreen(root, url, openPicked).start();
}

function home(): void {
  document.body.dataset.screen = 'home';
  const canShare = Boolean(navigator.mediaDevices?.getDisplayMedia);
  mount(
    root,
    h(
      'section',
      { class: 'home' },
      // The page opens with this neutral heading focused: a stray Enter must not start sharing.
      h('h1', { class: 'visually-hidden', id: 'home-title', tabindex: '-1' }, 'PeerDesk'),
      h(
        'button',
        { class: 'role', id: 'get-help', disabled: !canShare, on: { click: () => void open('host') } },
        h('strong', {}, 'Get help'),
        h('span', {}, 'Share your screen with a technician you called.'),
        !api && canShare ? h('small', {}, 'In a browser the technician can watch only; control needs the PeerDesk app.') : null,
        !canShare ? h('small', {}, 'This browser cannot share a screen.') : null,
      ),
      h(
        'button',
        { class: 'role', id: 'give-help', on: { click: () => void open('viewer') } },
        h('strong', {}, 'Give help'),
        h('span', {}, 'See someone’s screen with their session code and PIN.'),
      ),
    ),
    api?.settings
      ? h('button', { class: 'secondary', id: 'open-settings', on: { click: () => void settingsScreen(root, api, home) } }, 'Settings')
      : null,
  );
  root.querySelector<HTMLElement>('#home-title')?.focus();
}

stampTicketOnLeave();
const ticket = loadTicket();
// The desktop app's extra windows load this same page.
if (params.get('window') === 'consent') consentWindow(root, api, askerFromParams(params));
else if (params.get('window') === 'indicator') indicatorWindow(root, api, params);
else if (params.get('window') === 'overlay') overlayWindow(root, api);
else if (ticket) void resumeViewer(ticket);
else if (location.pathname === '/console') void openConsole();
else if (location.hash.startsWith('#join?') || params.get('role') === 'viewer') void open('viewer');
else if (params.get('role') === 'host') void open('host');
else home();

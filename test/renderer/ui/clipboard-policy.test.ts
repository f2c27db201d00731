import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToolkitMessage } from '../../../protocol/toolkit-messages';
import { MAX_CLIPBOARD_BYTES } from '../../../protocol/toolkit-messages';
import { CLIPBOARD_POLL_MS, type ClipboardIo, ClipboardPolicy } from '../../../renderer/ui/clipboard-policy';

// Both sides' real policies, joined by an in-order message pipe where the toolkit channel would be.

type Listener = (m: ToolkitMessage) => void;
function pipe() {
  const ends = [new Set<Listener>(), new Set<Listener>()];
  let open = true;
  const end = (mine: Set<Listener>, theirs: Set<Listener>) => ({
    sent: [] as ToolkitMessage[],
    send(m: ToolkitMessage) {
      if (!open) return false;
      this.sent.push(m);
      // JSON round trip, as on the wire; delivered after the sender's turn, as a data channel does.
      const copy = JSON.parse(JSON.stringify(m)) as ToolkitMessage;
      queueMicrotask(() => theirs.forEach((l) => l(copy)));
      return true;
    },
    on(l: Listener) {
      mine.add(l);
      return () => mine.delete(l);
    },
  });
  return { host: end(ends[0]!, ends[1]!), viewer: end(ends[1]!, ends[0]!), close: () => (open = false) };
}

/** A clipboard in memory; `sharing` stands for main's ClipboardService on the host. */
function clipboard(text = '', sharingRefused = false) {
  const io = {
    text,
    sharing: [] as boolean[],
    read: async () => io.text,
    write: async (t: string) => void (io.text = t),
    setSharing: async (on: boolean) => {
      if (sharingRefused) throw new Error('CLIPBOARD_ERR_NO_SESSION');
      io.sharing.push(on);
    },
  };
  return io;
}

function session(options: { hostText?: string; viewerText?: string; sharingRefused?: boolean } = {}) {
  const link = pipe();
  const hostIo = clipboard(options.hostText, options.sharingRefused);
  const viewerIo: ClipboardIo & { text: string } = clipboard(options.viewerText);
  const records: string[] = [];
  const host = new ClipboardPolicy({ toolkit: link.host, role: 'host', io: hostIo, log: { record: (_k, t) => void records.push(t) } });
  const viewer = new ClipboardPolicy({ toolkit: link.viewer, role: 'viewer', io: viewerIo, hasFocus: () => true });
  return { link, host, viewer, hostIo, viewerIo, records };
}
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('clipboard policy: off until the host turns it on', () => {
  it('starts off on both sides; the viewer says so, and sending does nothing', async () => {
    const { host, viewer, link } = session({ viewerText: 'secret' });
    expect(host.state.enabled).toBe(false);
    expect(viewer.state).toMatchObject({ enabled: false, status: 'Clipboard off' });
    await viewer.send();
    expect(link.viewer.sent).toEqual([]);
  });

  it('text that arrives while sharing is off is refused: never written to the clipboard, and logged', async () => {
    const { host, hostIo, records, link } = session({ hostText: 'before' });
    link.viewer.send({ t: 'clipboard', text: 'rm -rf ~' });
    await settle();
    expect(hostIo.text).toBe('before');
    expect(host.state.status).toMatch(/refused/);
    expect(records).toEqual(['Clipboard text refused: sharing is off']);
  });

  it('the host turns it on: main agrees first, then the viewer follows and text goes both ways', async () => {
    const { host, viewer, hostIo, viewerIo } = session({ viewerText: 'Ticket #4711' });
    await host.setEnabled(true);
    expect(hostIo.sharing).toEqual([true]);
    await settle();
    expect(viewer.state).toMatchObject({ enabled: true, status: '' });
    await viewer.send();
    await settle();
    expect(hostIo.text).toBe('Ticket #4711');
    hostIo.text = 'C:\\Temp\\setup.log';
    await host.send();
    await settle();
    expect(viewerIo.text).toBe('C:\\Temp\\setup.log');
    expect(viewer.state.status).toMatch(/^Received 17 characters/);
  });

  it('when main refuses to turn it on, nothing is on and the viewer is not told', async () => {
    const { host, viewer, link } = session({ sharingRefused: true });
    await host.setEnabled(true);
    await settle();
    expect(host.state).toMatchObject({ enabled: false, status: 'Clipboard sharing could not be turned on.' });
    expect(viewer.state.enabled).toBe(false);
    expect(link.host.sent).toEqual([]);
  });

  it('turned off again: the viewer follows, and what it sends afterwards is refused by the host', async () => {
    const { host, viewer, hostIo, link } = session({ hostText: 'host text' });
    await host.setEnabled(true);
    await host.setEnabled(false);
    await settle();
    expect(hostIo.sharing).toEqual([true, false]);
    expect(viewer.state.enabled).toBe(false);
    link.viewer.send({ t: 'clipboard', text: 'late' });
    await settle();
    expect(hostIo.text).toBe('host text');
  });

  it('a viewer cannot turn sharing on by announcing it: the host ignores clipboard.policy', async () => {
    const { host, hostIo, link } = session({ hostText: 'kept' });
    link.viewer.send({ t: 'clipboard.policy', enabled: true });
    link.viewer.send({ t: 'clipboard', text: 'pushed' });
    await settle();
    expect(host.state.enabled).toBe(false);
    expect(hostIo.text).toBe('kept');
  });
});

describe('clipboard policy: limits and the automatic mode', () => {
  it('text over the size cap is not sent', async () => {
    const { host, viewer, viewerIo, link } = session();
    await host.setEnabled(true);
    await settle();
    viewerIo.text = 'x'.repeat(MAX_CLIPBOARD_BYTES + 1);
    await viewer.send();
    expect(viewer.state.status).toMatch(/^Too large/);
    expect(link.viewer.sent).toEqual([]);
    viewerIo.text = 'é'.repeat(MAX_CLIPBOARD_BYTES / 2);
    await viewer.send();
    expect(link.viewer.sent).toHaveLength(1);
  });

  it('automatically: what was there before is not sent, new text is, and what arrived is never sent back', async () => {
    vi.useFakeTimers();
    const { host, viewer, hostIo, viewerIo, link } = session({ viewerText: 'old viewer text' });
    await host.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    await viewer.setAuto(true);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_POLL_MS);
    expect(link.viewer.sent).toEqual([]);
    viewerIo.text = 'new on the viewer';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_POLL_MS);
    expect(hostIo.text).toBe('new on the viewer');
    link.host.send({ t: 'clipboard', text: 'from the host' });
    await vi.advanceTimersByTimeAsync(CLIPBOARD_POLL_MS * 3);
    expect(viewerIo.text).toBe('from the host');
    expect(link.viewer.sent).toEqual([{ t: 'clipboard', text: 'new on the viewer' }]);
  });

  it('turning sharing off ends the automatic mode on the other side too', async () => {
    vi.useFakeTimers();
    const { host, viewer, viewerIo, link } = session();
    await host.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    await viewer.setAuto(true);
    await host.setEnabled(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(viewer.state.auto).toBe(false);
    viewerIo.text = 'copied after off';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_POLL_MS * 3);
    expect(link.viewer.sent).toEqual([]);
  });
});

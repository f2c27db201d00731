import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCapture } from '../../../renderer/host/host-capture';
import type { PeerDeskHostApi } from '../../../protocol/host-api';
import type { PeerLink } from '../../../renderer/net/peer-link';

/**
 * The host's capture without a browser: `navigator.mediaDevices.getDisplayMedia` is the one browser API it reaches,
 * injected here as a recording stand-in that hands out tracks (EventTargets that count their stops). What the real
 * Chromium captures is the e2e suites' (screen-sharing.test.ts, monitor-choice.test.ts).
 */

class FakeTrack extends EventTarget {
  stopped = false;
  contentHint = '';
  constructor(readonly label: string) {
    super();
  }
  stop() {
    this.stopped = true;
  }
}
class FakeStream {
  constructor(readonly track: FakeTrack) {}
  getVideoTracks = () => [this.track];
  getTracks = () => [this.track];
}

let captures: FakeStream[];
let order: string[];
let refuse: Error | undefined;
const realNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

beforeEach(() => {
  captures = [];
  order = [];
  refuse = undefined;
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      mediaDevices: {
        getDisplayMedia: async () => {
          order.push('getDisplayMedia');
          if (refuse) throw refuse;
          const stream = new FakeStream(new FakeTrack(`screen:${captures.length}:0`));
          captures.push(stream);
          return stream;
        },
      },
    },
  });
});
afterEach(() => {
  if (realNavigator) Object.defineProperty(globalThis, 'navigator', realNavigator);
});

const api = { selectSource: async (id: string) => void order.push(`select ${id}`) } as unknown as PeerDeskHostApi;
const screen2 = { id: 'screen:2:0', name: 'Screen 2', kind: 'screen' } as const;
const named = (name: string, message = '') => Object.assign(new Error(message), { name });

function setup(withApi = true) {
  let ended = 0;
  const capture = new HostCapture(withApi ? api : undefined, () => void ended++);
  return { capture, ended: () => ended };
}

describe('HostCapture: starting', () => {
  it('in the desktop app pins the picked source first, and names it as the host picked it', async () => {
    const { capture } = setup();
    capture.source = screen2;
    expect(await capture.start()).toEqual({ ok: true, label: 'Screen 2' });
    expect(order).toEqual(['select screen:2:0', 'getDisplayMedia']);
    expect(captures[0]!.track.contentHint).toBe('detail');
  });

  it('in a browser the browser’s picker chooses, and a capture id is never the label', async () => {
    const { capture } = setup(false);
    expect(await capture.start()).toEqual({ ok: true, label: 'your screen' });
    expect(order).toEqual(['getDisplayMedia']);
  });

  it('the host cancelling the browser’s picker is a refusal; any other error, or in the app, a failure', async () => {
    refuse = named('NotAllowedError', 'Permission denied');
    expect(await setup(false).capture.start()).toEqual({
      ok: false,
      cancelled: true,
      why: 'Sharing could not start: Permission denied.',
    });
    expect(await setup(true).capture.start()).toMatchObject({ ok: false, cancelled: false });
    refuse = named('NotReadableError');
    expect(await setup(false).capture.start()).toEqual({ ok: false, cancelled: false, why: 'Sharing could not start: NotReadableError.' });
  });

  it('a second start drops the first, unused capture', async () => {
    const { capture } = setup();
    await capture.start();
    await capture.start();
    expect(captures.map((c) => c.track.stopped)).toEqual([true, false]);
  });
});

describe('HostCapture: using, dropping, stopping', () => {
  it('use makes the started capture the shared one, once; its end is reported', async () => {
    const { capture, ended } = setup();
    await capture.start();
    const used = capture.use();
    expect(used?.track).toBe(captures[0]!.track);
    expect(capture.current).toBe(used);
    expect(capture.use()).toBeUndefined();
    captures[0]!.track.dispatchEvent(new Event('ended'));
    expect(ended()).toBe(1);
  });

  it('a capture started for a request that went away is stopped and never used', async () => {
    const { capture } = setup();
    await capture.start();
    capture.dropPending();
    expect(captures[0]!.track.stopped).toBe(true);
    expect(capture.use()).toBeUndefined();
    expect(capture.current).toBeUndefined();
  });

  it('stop ends both the shared capture and one still starting', async () => {
    const { capture } = setup();
    await capture.start();
    capture.use();
    await capture.start();
    capture.stop();
    expect(captures.map((c) => c.track.stopped)).toEqual([true, true]);
    expect(capture.current).toBeUndefined();
  });
});

describe('HostCapture: sharing something else', () => {
  const link = () => {
    const swaps: Array<[FakeTrack, FakeTrack]> = [];
    const fake = {
      replaceVideoTrack: (previous: { track: FakeTrack }, next: FakeTrack) => void swaps.push([previous.track, next]),
    } as unknown as PeerLink;
    return { fake, swaps };
  };

  it('swaps the track in place on the same stream, stops the old one and follows the new one’s end', async () => {
    const { capture, ended } = setup();
    await capture.start();
    const first = capture.use()!;
    const { fake, swaps } = link();
    const next = await capture.switchTo(screen2, fake);
    const [old, fresh] = [captures[0]!.track, captures[1]!.track];
    expect(next?.track).toBe(fresh);
    expect(swaps).toEqual([[old, fresh]]);
    expect(old.stopped).toBe(true);
    expect(capture.current?.track).toBe(fresh);
    expect(capture.current?.stream).toBe(first.stream);
    expect(capture.source).toBe(screen2);
    old.dispatchEvent(new Event('ended'));
    expect(ended()).toBe(0);
    fresh.dispatchEvent(new Event('ended'));
    expect(ended()).toBe(1);
  });

  it('nothing to swap without a shared capture or a link; a failed start leaves the shared one as it was', async () => {
    const { capture } = setup();
    const { fake, swaps } = link();
    expect(await capture.switchTo(screen2, fake)).toBeUndefined();
    await capture.start();
    const first = capture.use()!;
    expect(await capture.switchTo(screen2, undefined)).toBeUndefined();
    refuse = named('NotReadableError');
    expect(await capture.switchTo(screen2, fake)).toBeUndefined();
    expect(swaps).toEqual([]);
    expect(capture.current).toBe(first);
    expect(captures[0]!.track.stopped).toBe(false);
    expect(capture.source).toBeUndefined();
  });

  it('the browser’s own picker (no source) keeps the source the host picked before', async () => {
    const { capture } = setup();
    capture.source = screen2;
    await capture.start();
    capture.use();
    await capture.switchTo(undefined, link().fake);
    expect(capture.source).toBe(screen2);
  });
});

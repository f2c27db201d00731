import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../main/services/audit-log';
import { ConsentService } from '../../../../main/services/consent-service';
import type { Injector } from '../../../../main/services/input/injector';
import { InputService } from '../../../../main/services/input/input-service';

// Pointer moves travel on an unordered channel: a late one must never undo a newer position, and moves that pile up
// behind slow work are applied once, at the newest position. Recording stand-ins for robotjs; no X server.

type Call = [string, ...unknown[]];

/** A 1000×1000 screen at the origin, scale 1: x 0.5 → pixel 500. */
const SCREEN = { kind: 'screen' as const, sourceId: 'screen:0:0', bounds: { x: 0, y: 0, width: 1000, height: 1000 }, scaleFactor: 1 };

function setup() {
  const calls: Call[] = [];
  let finishTyping: () => void = () => undefined;
  const typing = new Promise<void>((resolve) => (finishTyping = resolve));
  const injector: Injector = {
    moveMouse: (x, y) => void calls.push(['move', x, y]),
    button: (b, down) => void calls.push(['button', b, down]),
    scroll: (dx, dy) => void calls.push(['scroll', dx, dy]),
    key: (name, down) => void calls.push(['key', name, down]),
    // Typing holds the queue until the test lets it finish: the moves that arrive meanwhile wait behind it.
    typeText: async (text) => {
      await typing;
      calls.push(['text', text]);
    },
    mousePosition: () => ({ x: 0, y: 0 }),
  };
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-pointer-')), 'audit.jsonl'));
  const consent = new ConsentService(audit, { ask: () => undefined, dismiss: () => undefined });
  const input = new InputService({
    consent,
    injector,
    windows: {
      windowBounds: async () => undefined,
      raiseWindow: async () => undefined,
      activeWindow: async () => '',
      isUnderPointer: async () => true,
    },
    own: { rects: () => [], focused: () => false },
  });
  input.beginSession('Tina', SCREEN);
  consent.request();
  consent.grant();
  const send = (m: object) => input.handle(JSON.stringify(m));
  const move = (x: number, seq?: number) => send({ t: 'move', x, y: 0.5, ...(seq === undefined ? {} : { seq }) });
  return { calls, input, consent, send, move, finishTyping: () => finishTyping() };
}

const STALE = { ok: false, reason: 'INPUT_ERR_STALE_MOVE' };
const STALE_DETAIL = { ...STALE, detail: 'replaced by a newer move' };

describe('InputService: moves that arrive out of order', () => {
  it('drops a move numbered below one already applied, with INPUT_ERR_STALE_MOVE, and counts it', async () => {
    const { calls, input, move } = setup();
    expect(await move(0.5, 5)).toEqual({ ok: true, injected: true });
    expect(await move(0.4, 4)).toMatchObject(STALE);
    expect(await move(0.5, 5)).toMatchObject(STALE);
    expect(await move(0.6, 6)).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['move', 500, 500],
      ['move', 600, 500],
    ]);
    expect(input.dropped.get('INPUT_ERR_STALE_MOVE')).toBe(2);
  });

  it('a move sent before a click but arriving after it does not pull the pointer back', async () => {
    const { calls, send, move } = setup();
    await send({ t: 'button', button: 'left', down: true, x: 0.3, y: 0.5, seq: 8 });
    await send({ t: 'button', button: 'left', down: false, x: 0.3, y: 0.5, seq: 9 });
    expect(await move(0.9, 7)).toMatchObject(STALE);
    expect(calls.filter((c) => c[0] === 'move')).toEqual([
      ['move', 300, 500],
      ['move', 300, 500],
    ]);
  });

  it('moves without a number (a viewer page from before numbering) are applied in arrival order', async () => {
    const { calls, move } = setup();
    await move(0.5, 3);
    expect(await move(0.2)).toEqual({ ok: true, injected: true });
    expect(calls.at(-1)).toEqual(['move', 200, 500]);
  });

  it('a new session, and a new grant, start the numbering again', async () => {
    const { calls, input, consent, move } = setup();
    await move(0.5, 50);
    input.beginSession('Tom', SCREEN);
    consent.request();
    consent.grant();
    expect(await move(0.1, 1)).toEqual({ ok: true, injected: true });
    await move(0.5, 60);
    consent.revoke('host');
    consent.request();
    consent.grant();
    expect(await move(0.2, 1)).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['move', 500, 500],
      ['move', 100, 500],
      ['move', 500, 500],
      ['move', 200, 500],
    ]);
  });

  it('a bad number is refused with a reason and never reaches robotjs; a release with one still releases', async () => {
    const { calls, send, move } = setup();
    for (const seq of [0, -1, 1.5, '3', null, 2 ** 53, Number.MAX_SAFE_INTEGER + 2])
      expect(await send({ t: 'move', x: 0.5, y: 0.5, seq })).toMatchObject({ ok: false, reason: 'INPUT_ERR_BAD_MESSAGE' });
    expect(await send({ t: 'move', x: 0.5, y: 0.5, seq: 1, extra: 1 })).toMatchObject({ ok: false, reason: 'INPUT_ERR_BAD_MESSAGE' });
    expect(calls).toEqual([]);
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5, seq: 1 });
    expect(await send({ t: 'button', button: 'left', down: false, x: 0.5, y: 0.5, seq: -4 })).toEqual({ ok: true, injected: true });
    expect(calls.at(-1)).toEqual(['button', 'left', false]);
    expect(await move(0.7, 2)).toEqual({ ok: true, injected: true });
  });
});

describe('InputService: moves that pile up behind slow work', () => {
  it('are applied once, at the newest position; the ones replaced are stale', async () => {
    const { calls, send, move, finishTyping } = setup();
    const typed = send({ t: 'text', text: 'é' });
    const results = [move(0.1, 1), move(0.2, 2), move(0.3, 3)];
    finishTyping();
    await typed;
    expect(await Promise.all(results)).toEqual([STALE_DETAIL, STALE_DETAIL, { ok: true, injected: true }]);
    expect(calls).toEqual([
      ['text', 'é'],
      ['move', 300, 500],
    ]);
  });

  it('a move never jumps a click queued before it, and a click never loses the move queued before it', async () => {
    const { calls, send, move, finishTyping } = setup();
    const typed = send({ t: 'text', text: 'é' });
    const done = [
      move(0.1, 1),
      send({ t: 'button', button: 'left', down: true, x: 0.2, y: 0.5, seq: 2 }),
      move(0.3, 3),
      send({ t: 'button', button: 'left', down: false, x: 0.3, y: 0.5, seq: 4 }),
      move(0.5, 5),
    ];
    finishTyping();
    await typed;
    for (const d of done) expect(await d).toMatchObject({ ok: true });
    expect(calls).toEqual([
      ['text', 'é'],
      ['move', 100, 500],
      ['move', 200, 500],
      ['button', 'left', true],
      ['move', 300, 500],
      ['move', 300, 500],
      ['button', 'left', false],
      ['move', 500, 500],
    ]);
  });
});

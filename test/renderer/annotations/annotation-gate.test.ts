import { describe, expect, it } from 'vitest';
import { AnnotationGate } from '../../../renderer/annotations/annotation-gate';
import { ANNOTATION_BURST, ANNOTATION_MESSAGES_PER_SECOND, MAX_ANNOTATION_MESSAGE_BYTES } from '../../../protocol/annotation-messages';

const laser = JSON.stringify({ t: 'laser', x: 0.5, y: 0.5, color: 'red' });

describe('AnnotationGate', () => {
  it('passes a valid message and refuses crafted ones with a code, never throwing', () => {
    const gate = new AnnotationGate(() => 0);
    expect(gate.check(laser)).toEqual({ ok: true, message: JSON.parse(laser) });
    expect(gate.check('x'.repeat(MAX_ANNOTATION_MESSAGE_BYTES + 1))).toEqual({ ok: false, code: 'ANNOT_ERR_TOO_LARGE' });
    expect(gate.check(new ArrayBuffer(8))).toEqual({ ok: false, code: 'ANNOT_ERR_TOO_LARGE' });
    expect(gate.check('{"t":')).toEqual({ ok: false, code: 'ANNOT_ERR_BAD_JSON' });
    expect(gate.check('{"t":"laser","x":2,"y":0,"color":"red"}')).toEqual({ ok: false, code: 'ANNOT_ERR_BAD_MESSAGE' });
    expect(gate.check('{"t":"laser","x":0,"y":0,"color":"red","__proto__":{"x":1}}')).toEqual({ ok: false, code: 'ANNOT_ERR_BAD_MESSAGE' });
    expect(gate.refusedTotal).toBe(5);
  });

  it('refuses beyond the burst and lets the rate through again as time passes', () => {
    let now = 0;
    const gate = new AnnotationGate(() => now);
    const results = Array.from({ length: ANNOTATION_BURST + 10 }, () => gate.check(laser).ok);
    expect(results.filter(Boolean)).toHaveLength(ANNOTATION_BURST);
    expect(gate.refused.get('ANNOT_ERR_RATE')).toBe(10);
    now += 1000;
    const next = Array.from({ length: ANNOTATION_MESSAGES_PER_SECOND + 5 }, () => gate.check(laser).ok);
    expect(next.filter(Boolean)).toHaveLength(ANNOTATION_MESSAGES_PER_SECOND);
  });

  it('refuses everything while the person has annotations off, and passes again once on', () => {
    const gate = new AnnotationGate(() => 0);
    gate.enabled = false;
    expect(gate.check(laser)).toEqual({ ok: false, code: 'ANNOT_ERR_OFF' });
    gate.enabled = true;
    expect(gate.check(laser).ok).toBe(true);
  });
});

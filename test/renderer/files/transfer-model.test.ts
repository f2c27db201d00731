import { describe, expect, it } from 'vitest';
import { type Incoming, viewOf } from '../../../renderer/files/transfer-model';

describe('transfer model', () => {
  it('listeners see the view fields only, never the sink, hash, pending writes or timers', () => {
    const incoming: Incoming = {
      id: 't1',
      direction: 'in',
      name: 'report.pdf',
      size: 10,
      mime: 'application/pdf',
      state: 'receiving',
      bytes: 4,
      speed: 2,
      detail: 'half',
      n: 7,
      writes: Promise.resolve(),
      expected: 'ab'.repeat(32),
    };
    expect(viewOf(incoming)).toEqual({
      id: 't1',
      direction: 'in',
      name: 'report.pdf',
      size: 10,
      mime: 'application/pdf',
      state: 'receiving',
      bytes: 4,
      speed: 2,
      averageSpeed: undefined,
      detail: 'half',
      sha256: undefined,
    });
    expect(Object.keys(viewOf(incoming))).not.toContain('writes');
  });
});

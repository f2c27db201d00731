import { describe, expect, it } from 'vitest';
import { trayModel } from '../../../main/services/host-status';

describe('tray model', () => {
  it('describes sharing without control', () => {
    expect(trayModel({ sharing: { viewer: 'Tina', source: 'Mail' }, control: 'none' }).tooltip).toBe('PeerDesk — sharing Mail with Tina');
  });
});

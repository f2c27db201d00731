import { describe, expect, it } from 'vitest';
import { indicatorQuery, trayModel } from '../../../main/services/host-status';

describe('tray model', () => {
  it('describes sharing without control', () => {
    expect(trayModel({ sharing: { viewer: 'Tina', source: 'Mail' }, control: 'none' }).tooltip).toBe(
      'PeerDesk — sharing Mail with Tina (not verified)',
    );
  });

  it('says whether the technician signed in, in the tray and on the indicator', () => {
    const sharing = { viewer: 'Tina Smith', source: 'Mail', verified: true };
    expect(trayModel({ sharing, control: 'granted' }).tooltip).toBe('PeerDesk — Tina Smith (verified) is controlling this computer');
    expect(indicatorQuery({ sharing, control: 'none' })).toContain('verified=yes');
    expect(indicatorQuery({ sharing: { viewer: 'Tina', source: 'Mail' }, control: 'none' })).toContain('verified=no');
  });
});

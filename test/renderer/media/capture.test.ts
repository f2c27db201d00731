import { describe, expect, it } from 'vitest';
import { readableLabel } from '../../../renderer/media/capture';

describe('the sharing bar names what is shared, never a capture id', () => {
  it.each([
    ['screen:411:0', 'your screen'],
    ['window:0x3a00007:0', 'a window'],
    ['', 'your screen'],
    ['Mail - Inbox', 'Mail - Inbox'],
  ])('%j → %j', (label, readable) => expect(readableLabel(label)).toBe(readable));
});

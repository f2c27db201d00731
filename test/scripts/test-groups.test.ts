import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETWORK_WIDE } from '../../vitest.config';

/**
 * End-to-end files run two at a time, each on its own display, but all in one network namespace: a file that drops
 * packets or caps the loopback must be in the group that runs alone, or it slows and breaks the file beside it.
 */
describe('test groups', () => {
  it('every end-to-end file that changes the shared network runs alone', () => {
    const changesNetwork = readdirSync('test/e2e')
      .filter((f) => f.endsWith('.test.ts'))
      .filter((f) => /constrainLoopback|iptables|\btc\b/.test(readFileSync(`test/e2e/${f}`, 'utf8')))
      .map((f) => `test/e2e/${f}`);
    expect(changesNetwork.length).toBeGreaterThan(0);
    expect(NETWORK_WIDE.filter((f) => changesNetwork.includes(f)).sort()).toEqual(changesNetwork.sort());
  });
});

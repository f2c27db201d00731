import type { Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * A page's main-thread JavaScript profile (CDP `Profiler`, 1 ms sampling) while something runs: the share of the
 * time the thread was busy, and the functions that held it longest (self time, in ms), e.g. `sha256 … (hash.js)`.
 */
export async function profilePage<T>(page: Page, run: () => Promise<T>): Promise<{ result: T; profile: Record<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  try {
    const result = await run();
    const { profile } = await cdp.send('Profiler.stop');
    const nodes = profile.nodes as ProfileNode[];
    const deltas = profile.timeDeltas ?? [];
    const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, deltas.length);
    const selfMs = new Map<string, number>();
    for (const node of nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url.split('/').pop()?.split('?')[0] ?? '';
      const key = file ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}` : functionName;
      selfMs.set(key, (selfMs.get(key) ?? 0) + (node.hitCount ?? 0) * msPerHit);
    }
    const total = (profile.endTime - profile.startTime) / 1000;
    const idle = selfMs.get('(idle)') ?? 0;
    const top = [...selfMs]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, ms]) => [k, Math.round(ms)]);
    return {
      result,
      profile: { total_ms: Math.round(total), busy_pct: +((100 * (total - idle)) / total).toFixed(1), ...Object.fromEntries(top) },
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

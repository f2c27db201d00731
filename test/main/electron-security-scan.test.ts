import { cpSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  severity: { name: string };
  file: string;
  location: { line: number; column: number };
}
type Scan = (options: Record<string, unknown>) => Promise<{ atomicChecks: number; errors: unknown[]; issues: Finding[] }>;
const scan = createRequire(import.meta.url)('@doyensec/electronegativity') as Scan;

/**
 * Doyensec's Electronegativity over the app's own code (main, preload, renderer
 * pages and the CSP they carry): every check except the one that downloads
 * Electron's release list (no network here; the Electron version is pinned).
 * Two reviewed findings are marked where they occur with `eng-disable` and a reason
 * (the preload in main/adapters/app-window.ts, script-src 'self' in index.html).
 */
describe('Electron security scan (electronegativity)', () => {
  it('reports no findings for main, preload and the renderer', async () => {
    const app = mkdtempSync(join(tmpdir(), 'peerdesk-scan-'));
    for (const dir of ['main', 'preload', 'renderer', 'protocol']) cpSync(dir, join(app, dir), { recursive: true });
    cpSync('package.json', join(app, 'package.json'));
    const result = await scan({
      input: app,
      electronVersionOverride: '41.0.0',
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
    });
    // INFORMATIONAL records are facts, not findings (e.g. "Electron version read from package.json").
    const findings = result.issues.filter((i) => i.severity.name !== 'INFORMATIONAL').map((i) => `${i.id} ${i.file}:${i.location.line}`);
    expect(findings).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.atomicChecks).toBeGreaterThan(30);
  }, 150_000);
});

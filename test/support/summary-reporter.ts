import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line CI can read, `N passed, N failed`, after one line with each group's wall-clock
 * time (vitest.config.ts's projects run one after the other: where the run's time goes).
 */
export default class SummaryReporter implements Reporter {
  private readonly spans = new Map<string, { first: number; last: number }>();

  onTestModuleStart(module: TestModule): void {
    const name = module.project.name || 'tests';
    const span = this.spans.get(name);
    if (!span) this.spans.set(name, { first: Date.now(), last: Date.now() });
  }

  onTestModuleEnd(module: TestModule): void {
    const span = this.spans.get(module.project.name || 'tests');
    if (span) span.last = Date.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const groups = [...this.spans].map(([name, { first, last }]) => `${name} ${Math.round((last - first) / 1000)} s`);
    if (groups.length) process.stdout.write(`\ngroups (wall clock): ${groups.join(', ')}`);
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  }
}

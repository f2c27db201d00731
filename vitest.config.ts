import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and X tests share one Xvfb display and real ports; run files one at a time.
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // dist/ rebuilt first when it is older than the tree (tests start the server and the renderer from it).
    globalSetup: ['./test/support/fresh-build-setup.ts', './test/support/global-setup.ts'],
  },
});

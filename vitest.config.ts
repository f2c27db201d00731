import { defineConfig } from 'vitest/config';

/** Files that use the one X display of the run (robotjs, the X pointer, windows), or a browser on it. */
export const ON_THE_SHARED_DISPLAY = ['test/main/**/*.test.ts', 'test/renderer/desktop/overlay-page.test.ts'];
/**
 * End-to-end files that change the network every test shares (iptables rules and tc queues on the namespace's
 * loopback): nothing else runs beside them.
 */
export const NETWORK_WIDE = [
  'test/e2e/ice-restart.test.ts',
  'test/e2e/latency-tuning.test.ts',
  'test/e2e/link-adaptation.test.ts',
  'test/e2e/signaling-outage.test.ts',
];
/**
 * End-to-end files at once. One: two at once passed every run here but were no faster (two sessions fill the two
 * cores, and each test took about twice as long; README, Test), and a slower machine could make them flaky.
 * `PEERDESK_E2E_WORKERS=2` runs two, each on its own display.
 */
const E2E_WORKERS = Number(process.env.PEERDESK_E2E_WORKERS ?? 1);

/**
 * The groups run one after the other (`groupOrder`); inside a group, files may run side by side where they share
 * nothing but the cores.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // dist/ rebuilt first when it is older than the tree (tests start the server and the renderer from it).
    globalSetup: ['./test/support/fresh-build-setup.ts', './test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'x', include: ON_THE_SHARED_DISPLAY, fileParallelism: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', ...ON_THE_SHARED_DISPLAY],
          // Servers on free ports, their own Redis and PostgreSQL per file, no X: nothing shared but the cores.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: NETWORK_WIDE,
          // Each file gets an X display of its own: its pointer, keyboard, clipboard, windows and screen.
          setupFiles: ['./test/support/own-display-setup.ts'],
          maxWorkers: E2E_WORKERS,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: { name: 'e2e-network', include: NETWORK_WIDE, fileParallelism: false, sequence: { groupOrder: 3 } },
      },
    ],
  },
});

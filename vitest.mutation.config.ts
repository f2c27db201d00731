import { defineConfig } from 'vitest/config';

/**
 * The fast tests of the guard modules StrykerJS mutates (`npm run mutation`, see stryker.config.json).
 * `PEERDESK_MUTATION_TESTS=a.test.ts,b.test.ts` narrows them to one module's own tests, so a run on one module
 * does not start the slower ones (servers, X) for every mutant.
 */
const all = [
  'test/main/services/consent-service.test.ts',
  'test/main/services/consent-guards.test.ts',
  'test/main/services/clipboard-service.test.ts',
  'test/main/services/host-services.test.ts',
  'test/main/services/input/input-service.test.ts',
  'test/main/services/input/control-parser.test.ts',
  'test/main/services/input/held-input.test.ts',
  'test/main/services/input/button-release.test.ts',
  'test/signaling/resume.test.ts',
  'test/signaling/resume-tokens.test.ts',
  'test/signaling/session-codes.test.ts',
  'test/signaling/address-limits.test.ts',
  'test/signaling/pending-requests.test.ts',
  'test/signaling/turn-credentials.test.ts',
  'test/common/display-text.test.ts',
];

export default defineConfig({
  test: {
    include: process.env.PEERDESK_MUTATION_TESTS?.split(',') ?? all,
    testTimeout: 60_000,
    fileParallelism: false,
    globalSetup: ['./test/support/global-setup.ts'],
  },
});

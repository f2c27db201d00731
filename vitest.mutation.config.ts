import { defineConfig } from 'vitest/config';

/** The fast tests of the guard modules StrykerJS mutates (`npm run mutation`, see stryker.config.json). */
export default defineConfig({
  test: {
    include: [
      'test/main/services/consent-service.test.ts',
      'test/main/services/consent-guards.test.ts',
      'test/main/services/clipboard-service.test.ts',
      'test/main/services/host-services.test.ts',
      'test/main/services/input/input-service.test.ts',
      'test/main/services/input/button-release.test.ts',
      'test/signaling/resume.test.ts',
      'test/signaling/resume-tokens.test.ts',
    ],
    testTimeout: 60_000,
    fileParallelism: false,
    globalSetup: ['./test/support/global-setup.ts'],
  },
});

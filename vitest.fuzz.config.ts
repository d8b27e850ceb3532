import { defineConfig } from 'vitest/config';

// `npm run test:fuzz`: the property-based fuzz suite (test/fuzz/*.fuzz.ts), separate from `npm test` because it
// runs tens of thousands of cases. Seeds are fixed (test/fuzz/harness.ts) so a failure reproduces; each file
// writes its tally and the global teardown prints the total.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/fuzz/global-tally.ts'],
    testTimeout: 120_000,
    // One worker: the machine is shared, and the time bound is per file.
    fileParallelism: false,
  },
});

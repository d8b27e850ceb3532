import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the suite that drives headless Chromium (test/browser/harness.ts). Its files run one
// at a time: each starts a browser, and the threads case times calls.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});

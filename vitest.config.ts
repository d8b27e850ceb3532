import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // The browser suite needs Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['test/browser/**', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});

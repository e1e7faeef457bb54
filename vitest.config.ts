import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'infra/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The default reporter, plus one closing line in the plain "N passed, N failed" form that CI reads.
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
  },
});

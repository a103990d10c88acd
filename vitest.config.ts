import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each e2e file launches Chromium; two at once is what two cores carry.
          maxWorkers: 2,
          fileParallelism: true,
          // Unit tests first, then the browser tests on their own.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})

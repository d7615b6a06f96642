import { defineConfig } from 'vitest/config';

// One Vitest run covers every package: unit tests sit beside the code (`*.test.ts`), the
// examples and repository checks live under `examples/` and `scripts/`.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.test.tsx',
      'packages/web/e2e/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'examples/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});

import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of src/core (`npm run test:mutation`): the behaviour tests only.
 * Left out are the checks that build or bundle dist, type-check programs or read source text (they test the
 * package or the testing kit, not the machine's behaviour, and would slow every mutant down). Property suites run in their
 * `mutation` profile: few runs and a fixed seed, so every mutant meets the same inputs.
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      '.stryker-tmp/**',
      'test/package-entry-points.test.ts',
      'test/root-entry-bundle-size.test.ts',
      'test/documentation-examples-run.test.ts',
      'test/public-exports-are-documented.test.ts',
      'test/core-imports-nothing-outside-core.test.ts',
      'test/testing-guide-example-is-a-test.test.ts',
      'test/testing-guide-example.test.ts',
      'test/testing-kit-generators.test.ts',
      'test/schema-and-service-entries-bundle-within-budget.test.ts',
      'test/docs-site-names-modules-as-imported-and-orders-guides.test.ts',
      'test/npm-test-installs-or-explains-missing-programs.test.ts',
      // Servers, browsers and whole simulations: they exercise the service, Redis and the demo, and would start a
      // redis-server or a Chromium for every mutant.
      'test/redis-*.test.ts',
      'test/presence-board-*.test.ts',
      'test/*.e2e.test.ts',
      'test/shift-demo-*.test.ts',
      'test/api-examples-*.test.ts',
      'test/service-*.test.ts',
    ],
    env: { AGENT_PRESENCE_PROPERTY_PROFILE: 'mutation' },
  },
});

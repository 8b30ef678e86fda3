import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of src/core (`npm run test:mutation`): the behaviour tests of the
 * core and of the schema built on its rules, chosen by folder (test/core, test/schema). The other folders test the
 * service, Redis, the testing kit, the examples and the package: they would start servers, browsers or builds for
 * every mutant. Property suites run in their `mutation` profile: few runs and a fixed seed, so every mutant meets
 * the same inputs.
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/core/**/*.test.ts', 'test/schema/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
    env: { AGENT_PRESENCE_PROPERTY_PROFILE: 'mutation' },
  },
});

import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // `import … from 'agent-presence'` (examples, the shift simulator) resolves to the source through tsconfig's
  // `paths`, as it does for tsc and tsx.
  resolve: { tsconfigPaths: true },
  test: {
    // examples/api is generated from the TSDoc, not committed: written here, before the tests run.
    globalSetup: ['test/helpers/writeApiExamples.ts'],
    // Stryker's sandboxes (npm run test:mutation) hold a copy of the tests; they are not ours to run twice.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**', 'reports/**'],
  },
});

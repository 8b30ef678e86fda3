import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // `import … from 'agent-presence'` (examples, the shift simulator) resolves to the source through tsconfig's
  // `paths`, as it does for tsc and tsx.
  resolve: { tsconfigPaths: true },
  test: {
    // Stryker's sandboxes (npm run test:mutation) hold a copy of the tests; they are not ours to run twice.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**', 'reports/**'],
  },
});

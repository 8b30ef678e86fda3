import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `import … from 'agent-presence'` (examples, the shift simulator) resolves to the source through tsconfig's
  // `paths`, as it does for tsc and tsx.
  resolve: { tsconfigPaths: true },
});

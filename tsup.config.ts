import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'schema/index': 'src/schema/index.ts',
    'service/index': 'src/service/index.ts',
    'admin/index': 'src/admin/index.ts',
    'redis/index': 'src/redis/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
  splitting: true,
  // fast-check is the user's own copy (an optional peer dependency of agent-presence/testing), never bundled.
  external: ['fast-check'],
});

// @ts-check
// `npm run lint`: ESLint with typescript-eslint's type-checked rules, over every TypeScript file of the project
// (src, test, scripts, examples, docs/playground and the tool configs). Formatting is Prettier's job
// (`npm run format:check`); eslint-config-prettier, last, turns off the rules that would fight it.
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Built, generated or installed: examples/api is generated from the TSDoc when the tests run (the examples test
    // type-checks and runs each block where it is written); the rest is output.
    ignores: ['node_modules/', 'dist/', 'coverage/', 'docs/site/', 'examples/api/', 'reports/', '.stryker-tmp/', 'demo-output/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    // A disable comment that no longer silences anything is an error, and every one must say why after `--`.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      // Each file is checked with the nearest tsconfig.json: the root one, or docs/playground's (DOM types).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@eslint-community/eslint-comments/require-description': 'error',
      // Both are the point of type-checked linting here: a promise nobody awaits loses its errors, and a switch
      // over a union must name every member (a `default` does not count: a new event type must be handled on purpose).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      // A leading underscore marks a binding kept on purpose: an ignored parameter, or a property taken out of a
      // rest spread.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `async` without `await` is how the code implements a Promise-returning port (stores, publishers, the fakes
      // in tests): a throw becomes a rejection, as the port promises, and an async generator is the plain way to
      // make an AsyncIterable. Promises that matter are held to no-floating-promises and no-misused-promises.
      '@typescript-eslint/require-await': 'off',
      // Passing on a caught value (`catch (error) { return Promise.reject(error); }`) rejects with what was thrown,
      // as `throw error` would.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // The playground runs in the browser.
    files: ['docs/playground/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests feed the code untyped data on purpose and read untyped answers: JSON.parse of HTTP bodies and stored
    // records, hostile inputs, modules imported from the built bundles, and callbacks that page.evaluate runs in
    // the browser (their `any` parameters stand for DOM nodes: the Node tsconfig has no DOM types). Their
    // assertions are the type check there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `expect(store.save).toHaveBeenCalledWith(…)` hands a spied method to expect, which never calls it.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (this file, scripts/test-deep.mjs) is in no tsconfig: lint it without types.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  eslintConfigPrettier,
);

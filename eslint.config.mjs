// `npm run lint`: ESLint's and typescript-eslint's recommended rules, with the rules that read the
// compiler's types (floating and misused promises, awaiting a non-promise, unsafe `any`), over the
// TypeScript sources; the plain JavaScript scripts get the same rules without type information.
// Layout is Prettier's (.prettierrc.json); eslint-config-prettier turns off the rules it overlaps.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The cache (npm run lint) keeps each file's result while the file and this configuration stay the
// same; the compiler options and the installed packages are part of the configuration here, so that
// changing either lints everything again. A type changed in one file can still leave the cached
// result of a file that uses it stale: `npx eslint .` lints without the cache.
const typeInputs = createHash('sha256');
for (const file of ['tsconfig.json', 'package-lock.json']) typeInputs.update(readFileSync(new URL(file, import.meta.url)));

export default defineConfig(
  { ignores: ['dist/', 'docs/api/', 'coverage/', '.tap/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: { typeInputs: typeInputs.digest('hex') },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // tap waits for the subtests and the promise assertions a test starts: not awaiting them is the idiom.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: '@tapjs/test', name: ['test', 'skip', 'todo', 'only'] },
            { from: 'package', package: '@tapjs/core', name: ['test'] },
            { from: 'package', package: '@tapjs/asserts', name: ['rejects', 'resolves', 'resolveMatch'] },
          ],
        },
      ],
      // The compiler checks this (noFallthroughCasesInSwitch), knowing which calls never return.
      'no-fallthrough': 'off',
      // A caught value passed on as it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An async function without await is harmless here (a test callback, an API that returns a promise).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests that read and break raw Kubernetes objects (manifests, API server bodies) on purpose.
    files: ['spec/deploy/**', 'spec/lib/sources/**', 'spec/helpers/fake-apiserver.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
  },
  prettier,
);

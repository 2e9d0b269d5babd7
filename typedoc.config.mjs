// TypeDoc's settings for `npm run docs`: the API reference, into docs/api/. One entry point per
// package entry, read from package.json "exports", each `types` file mapped back to its TypeScript
// source (spec/docs/api-docs.test.ts checks that they match, and that every export is documented).
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The TypeScript source of each package entry, in the order of package.json "exports". */
export const entryPoints = Object.values(pkg.exports)
  .filter((entry) => typeof entry === 'object' && typeof entry.types === 'string')
  .map((entry) => entry.types.replace(/^\.\/dist\//, './').replace(/\.d\.ts$/, '.ts'));

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: pkg.name,
  entryPoints,
  tsconfig: './tsconfig.build.json',
  out: './docs/api',
  plugin: ['./typedoc-entry-names.mjs'],
  readme: 'none',
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  excludeExternals: true,
  sort: ['source-order'],
  // Source links need a public git remote; the reference is built from a checkout without one.
  disableSources: true,
  // Exported symbols without a doc comment fail spec/docs/api-docs.test.ts instead (seconds, not a
  // whole conversion); these two stay warnings.
  validation: { notExported: true, invalidLink: true, notDocumented: false },
};

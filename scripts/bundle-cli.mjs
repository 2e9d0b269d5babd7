// Bundles the `ofwire` command into dist/bin: one module graph to load instead of ~100 files, which
// halves the command's start-up. Verbs still load lazily (code splitting keeps dynamic imports).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: ['dist/lib/cli/main.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  packages: 'external',
  logLevel: 'warning',
});

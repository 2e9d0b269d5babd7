// Bundles the `ofwire` command into dist/bin (or `--from DIR --out DIR`: the compiled sources' root
// and the output directory). Two module graphs instead of ~100 files:
//  - main.js: the entry and the commander verbs (print, encode, proxy, help), split so that each
//    verb loads only its own chunks and packages (the proxy and its sources stay out
//    of print and encode);
//  - switch-commands.js: the ovs-ofctl verbs, one file with everything they use inlined
//    (eventemitter3 too), so that a switch verb loads two files and resolves no package.
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { from: { type: 'string', default: 'dist' }, out: { type: 'string', default: 'dist/bin' } } });
const from = values.from;
const outdir = values.out;
const SWITCH_ENTRY = './switch-commands.js';
const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

// node:tls costs a switch verb ~10 ms to load and only tls:/ssl: targets use it: the switch verbs
// import it through a module that loads it on first use.
const TLS_EXPORTS = ['connect', 'createServer'];
const lazyTls = {
  name: 'lazy-tls',
  setup(b) {
    b.onResolve({ filter: /^node:tls$/ }, () => ({ path: 'node:tls', namespace: 'lazy-tls' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-tls' }, () => ({
      loader: 'js',
      contents: [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        ...TLS_EXPORTS.map((name) => `export function ${name}(...args) { return require('node:tls').${name}(...args); }`),
      ].join('\n'),
    }));
  },
};

// dist/bin is rebuilt from scratch; another --out is written over in place (a process may be running from it).
if (values.out === 'dist/bin') rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(from, 'lib/cli/main.js')],
  splitting: true,
  outdir,
  packages: 'external',
  external: [SWITCH_ENTRY],
});
await build({
  ...common,
  entryPoints: [join(from, 'lib/cli/switch-commands.js')],
  outfile: join(outdir, SWITCH_ENTRY),
  // What only the commander verbs use; a switch verb importing one of these would load it from
  // node_modules as before.
  external: ['commander', 'yaml', 'ipaddr.js'],
  plugins: [lazyTls],
});
// Runnable as it is, through its first line (npm sets the mode of installed bins itself).
chmodSync(join(outdir, 'main.js'), 0o755);

// A TypeDoc plugin that names each module of the API reference after its package entry (`ofwire`,
// `ofwire/protocol`, …) instead of its source path (`lib`, `protocol`, …).
import { readFileSync } from 'node:fs';
import { Converter } from 'typedoc';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** TypeDoc's default module name of each entry's source (its path, without `.ts` and `/index`) → the entry's name. */
const names = new Map();
for (const [entry, target] of Object.entries(pkg.exports)) {
  if (typeof target !== 'object' || typeof target.types !== 'string') continue;
  const path = target.types
    .replace(/^\.\/dist\//, '')
    .replace(/\.d\.ts$/, '')
    .replace(/\/index$/, '');
  names.set(path, entry === '.' ? pkg.name : `${pkg.name}/${entry.slice(2)}`);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      const name = names.get(module.name);
      if (name) module.name = name;
    }
  });
}

// Module hooks for the test processes: TypeScript files compile exactly as under @tapjs/typescript
// (its ts-node, transpile-only, tsconfig.json), but each output is kept in node_modules/.cache and
// reused by every later process until the source changes, so that a test process no longer loads
// the TypeScript compiler and compiles lib/ and protocol/ again. Same output, same source maps, so
// coverage is the same as under ts-node.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = `${ROOT}tsconfig.json`;
const CACHE = `${ROOT}node_modules/.cache/ofwire-ts/`;
const TS_FILE = /\.[cm]?ts$/;

const fromTapTypescript = createRequire(createRequire(import.meta.url).resolve('@tapjs/typescript/package.json'));
const TS_NODE = '@isaacs/ts-node-temp-fork-for-pr-2009';

// Whatever changes the output changes the key: the compiler versions and the tsconfig.
const salt = [
  fromTapTypescript(`${TS_NODE}/package.json`).version,
  fromTapTypescript('typescript/package.json').version,
  readFileSync(PROJECT, 'utf8'),
].join('\0');

let service;
function compile(source, file) {
  service ??= fromTapTypescript(TS_NODE).create({ project: PROJECT, transpileOnly: true });
  return service.compile(source, file);
}

function compiled(file) {
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(salt).update('\0').update(file).update('\0').update(source).digest('hex');
  const cached = `${CACHE}${key}.js`;
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const output = compile(source, file);
    mkdirSync(CACHE, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, output);
    renameSync(partial, cached);
    return output;
  }
}

// NodeNext sources import './x.js' for x.ts.
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent?.startsWith('file:') && TS_FILE.test(parent) && /^\.\.?\/.*\.js$/.test(specifier)) {
    const ts = new URL(specifier.replace(/js$/, 'ts'), parent);
    if (existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
  }
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !/^(\.|\/|file:).*\.js$/.test(specifier)) throw err;
    return next(specifier.replace(/js$/, 'ts'), context);
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS_FILE.test(new URL(url).pathname)) return next(url, context);
  const format = url.endsWith('.cts') ? 'commonjs' : 'module';
  return { format, source: compiled(fileURLToPath(url)), shortCircuit: true };
}

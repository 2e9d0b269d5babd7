/**
 * Compiles the agent (and the library it runs) to plain JavaScript, so the ofwire process the
 * benchmark measures runs without a TypeScript loader in it (the loader alone adds ~50 MB of RSS
 * and its own start-up work). Type-stripping only, file by file, with the compiler options of
 * `npm run build`; unchanged files are skipped. Output: node_modules/.cache/ofwire-bench/ (packages
 * resolve from the repository's node_modules from there).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const AGENT_BUILD_DIR = join(REPO, 'node_modules', '.cache', 'ofwire-bench');
const SOURCES = ['lib', 'protocol', 'benchmarks/harness'];

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

function mtime(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

let agentEntry: string | undefined;
let cliEntry: string | undefined;

/**
 * Brings the compiled agent up to date, once per benchmark process (every later call returns the
 * same build: one run measures one version of the sources, even while they are being edited);
 * returns the path of its entry point.
 */
export function buildAgent(): string {
  return (agentEntry ??= transpileSources());
}

function transpileSources(): string {
  mkdirSync(AGENT_BUILD_DIR, { recursive: true });
  writeFileSync(join(AGENT_BUILD_DIR, 'package.json'), '{ "type": "module" }\n');
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, sourceMap: false };
  for (const root of SOURCES) {
    for (const file of tsFiles(join(REPO, root))) {
      const out = join(AGENT_BUILD_DIR, relative(REPO, file)).replace(/\.ts$/, '.js');
      if (mtime(out) >= mtime(file)) continue;
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
  }
  return join(AGENT_BUILD_DIR, 'benchmarks', 'harness', 'agent.js');
}

/** The Node flags the `ofwire` command runs with: those of its first line (`#!/usr/bin/env -S node …`). */
export function cliNodeFlags(): string[] {
  const first = readFileSync(join(REPO, 'lib', 'cli', 'main.ts'), 'utf8').split('\n', 1)[0]!;
  const words = first.replace(/^#!\s*/, '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1);
}

/**
 * The `ofwire` command as users get it (`dist/bin`, bundled by scripts/bundle-cli.mjs), built once
 * per benchmark process from the compiled sources above; returns its entry point.
 */
export function buildCli(): string {
  return (cliEntry ??= bundleCli());
}

function bundleCli(): string {
  buildAgent();
  const outdir = join(AGENT_BUILD_DIR, 'bin');
  const entry = join(outdir, 'main.js');
  const script = join(REPO, 'scripts', 'bundle-cli.mjs');
  const newest = Math.max(newestUnder(join(AGENT_BUILD_DIR, 'lib')), newestUnder(join(AGENT_BUILD_DIR, 'protocol')), mtime(script));
  if (mtime(entry) >= newest) return entry;
  const bundled = spawnSync(process.execPath, [script, '--from', AGENT_BUILD_DIR, '--out', outdir], { cwd: REPO, encoding: 'utf8' });
  if (bundled.status !== 0 || !statSync(entry, { throwIfNoEntry: false }))
    throw new Error(`scripts/bundle-cli.mjs failed: ${bundled.stderr}`);
  return entry;
}

function newestUnder(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : mtime(p));
  }
  return newest;
}

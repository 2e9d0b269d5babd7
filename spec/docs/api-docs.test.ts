/**
 * Every symbol a package entry exports has a doc comment, so the API reference (`npm run docs`,
 * TypeDoc) describes all of it. The entries are package.json "exports", as typedoc.config.mjs reads
 * them. The walk uses the TypeScript compiler's binder and checker on the entry files (no type
 * check, no TypeDoc conversion), so it takes a few seconds.
 *
 * Wire constants in protocol/constants/ whose value is a number and whose name is the one of the
 * OpenFlow specification or of Open vSwitch's headers (OFPT_HELLO, NXAST_…, ETH_TYPE_…) are exempt:
 * that name is their documentation.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import ts from 'typescript';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface PackageJson {
  exports: Record<string, string | { types?: string }>;
}

/** The TypeScript source of each package entry with types, by its export path ('.', './protocol', …). */
function entrySources(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')) as PackageJson;
  const out = new Map<string, string>();
  for (const [name, entry] of Object.entries(pkg.exports)) {
    if (typeof entry !== 'object' || typeof entry.types !== 'string') continue;
    out.set(name, entry.types.replace(/^\.\/dist\//, './').replace(/\.d\.ts$/, '.ts'));
  }
  return out;
}

/** A wire constant exempt from a doc comment: a numeric literal, in protocol/constants/. */
function isSpecConstant(decl: ts.Declaration): boolean {
  if (!ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  if (!/^protocol\/constants\//.test(relative(REPO, decl.getSourceFile().fileName))) return false;
  return isNumber(decl.initializer);
}

/** A number written out: a literal, or literals combined by operators (`2 << 11`, `-1`). */
function isNumber(e: ts.Expression): boolean {
  if (ts.isNumericLiteral(e) || ts.isBigIntLiteral(e)) return true;
  if (ts.isParenthesizedExpression(e)) return isNumber(e.expression);
  if (ts.isPrefixUnaryExpression(e)) return isNumber(e.operand);
  return ts.isBinaryExpression(e) && isNumber(e.left) && isNumber(e.right);
}

function hasDocComment(decl: ts.Declaration): boolean {
  // A variable's comment sits on its statement; ts.getJSDocCommentsAndTags walks up to it.
  return ts.getJSDocCommentsAndTags(decl).some((doc) => ts.isJSDoc(doc) && (doc.comment !== undefined || (doc.tags?.length ?? 0) > 0));
}

/** Exported names with no doc comment on any declaration, as "name (file), exported by entry, …". */
function undocumented(entries: Map<string, string>): string[] {
  const files = [...entries.values()].map((f) => resolve(REPO, f));
  const config = ts.getParsedCommandLineOfConfigFile(resolve(REPO, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  // Only the declarations of this package matter: without the standard library and @types/node the
  // program is a third of the files and the walk takes a fifth of the time.
  const program = ts.createProgram(files, { ...(config?.options ?? {}), noEmit: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  const missing = new Map<string, string[]>();
  for (const [entry, file] of entries) {
    const entryName = entry === '.' ? 'ofwire' : `ofwire/${entry.slice(2)}`;
    const source = program.getSourceFile(resolve(REPO, file));
    if (!source) {
      missing.set(`${entryName}: its source ${file} does not exist`, []);
      continue;
    }
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = symbol.declarations ?? [];
      if (!decls.length || decls.some(hasDocComment) || decls.every(isSpecConstant)) continue;
      const key = `${symbol.name} (${relative(REPO, decls[0]!.getSourceFile().fileName)})`;
      missing.set(key, [...(missing.get(key) ?? []), entryName]);
    }
  }
  return [...missing].map(([key, by]) => (by.length ? `${key}, exported by ${by.join(', ')}` : key));
}

t.test('typedoc.config.mjs documents every package entry', async (t) => {
  const config = (await import(pathToFileURL(resolve(REPO, 'typedoc.config.mjs')).href)) as { entryPoints: string[] };
  t.same(config.entryPoints, [...entrySources().values()], 'one TypeDoc entry point per package.json export, in order');
});

t.test('every exported symbol of every package entry has a doc comment', (t) => {
  const missing = undocumented(entrySources());
  for (const m of missing) t.fail(`no doc comment: ${m}`);
  if (!missing.length) t.pass('all documented');
  t.end();
});

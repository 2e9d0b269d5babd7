/**
 * One name and one place per numeric constant. The rule, over every TypeScript source of protocol/,
 * lib/, benchmarks/ and examples/: an UPPER_CASE const with a numeric value (exported or not) is
 * defined once, and two such names with the same value are synonyms when they share their namespace
 * word (its version digits dropped, so OFPP16 is OFPP) and the other words of one, number-only words
 * dropped, are all among the other's (NX and NX_VENDOR_ID, OFPP_IN_PORT_16 and OFPP16_IN_PORT).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TREES = ['protocol', 'lib', 'benchmarks', 'examples'];

interface Definition {
  name: string;
  value: bigint;
  /** `path:line`. */
  at: string;
}

const DEFINITION = /^\s*(?:export\s+)?const\s+([A-Z][A-Z0-9_]*)\s*(?::\s*[\w.]+\s*)?=\s*([^;]+);/;
const TOKEN = /\s*(0[xX][0-9a-fA-F_]+n?|\d[\d_]*n?|<<|>>>|>>|[|&*+\-()])/y;

/** The value of a constant expression made only of number literals and operators, or undefined. */
export function numericValue(expr: string): bigint | undefined {
  const text = expr.trim();
  let js = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    const tok = m[1]!;
    js += /^\d/.test(tok) ? `${BigInt(tok.replace(/_/g, '').replace(/n$/, ''))}n` : tok === '>>>' ? '>>' : tok;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the C expression, turned into JavaScript above
    return (new Function(`return (${js});`) as () => bigint)();
  } catch {
    return undefined;
  }
}

export function definitionsIn(source: string, path: string): Definition[] {
  const out: Definition[] = [];
  source.split('\n').forEach((line, i) => {
    const m = DEFINITION.exec(line);
    if (!m) return;
    const value = numericValue(m[2]!);
    if (value !== undefined) out.push({ name: m[1]!, value, at: `${path}:${i + 1}` });
  });
  return out;
}

/** Namespace word (version digits dropped) and the other words (number-only words dropped). */
function words(name: string): { space: string; rest: Set<string> } {
  const [first, ...others] = name.split('_');
  return { space: first!.replace(/\d+$/, ''), rest: new Set(others.filter((w) => !/^\d+$/.test(w))) };
}

function isSynonym(a: string, b: string): boolean {
  const x = words(a);
  const y = words(b);
  if (a === b || x.space !== y.space) return false;
  const [small, large] = x.rest.size <= y.rest.size ? [x.rest, y.rest] : [y.rest, x.rest];
  return [...small].every((w) => large.has(w));
}

/** One line per broken rule, naming both places. */
export function violations(defs: readonly Definition[]): string[] {
  const out: string[] = [];
  const byName = new Map<string, Definition>();
  for (const d of defs) {
    const first = byName.get(d.name);
    if (first) out.push(`${d.name} is defined twice: ${first.at} and ${d.at}`);
    else byName.set(d.name, d);
  }
  const byValue = new Map<bigint, Definition[]>();
  for (const d of byName.values()) byValue.set(d.value, [...(byValue.get(d.value) ?? []), d]);
  for (const same of byValue.values()) {
    for (let i = 0; i < same.length; i++) {
      for (let j = i + 1; j < same.length; j++) {
        const [a, b] = [same[i]!, same[j]!];
        if (isSynonym(a.name, b.name)) out.push(`${a.name} (${a.at}) and ${b.name} (${b.at}) are two names for ${a.value}`);
      }
    }
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

t.test('the rule: values, repeated names and synonyms', async (t) => {
  t.equal(numericValue('0x00002320'), 0x2320n);
  t.equal(numericValue('1 << 13'), 8192n);
  t.equal(numericValue('0xffff_f000_0000_0000n'), 0xfffff00000000000n);
  t.equal(numericValue('8 * 1024'), 8192n);
  t.equal(numericValue('(1n << 44n) - 1n'), (1n << 44n) - 1n);
  t.equal(numericValue('a + b'), undefined, 'names are not numbers');
  t.equal(numericValue('OFPBF_ATOMIC | OFPBF_ORDERED'), undefined);
  t.equal(numericValue("'x'"), undefined);
  t.equal(numericValue('1 +'), undefined, 'an expression that does not evaluate');
  const defs = [
    ...definitionsIn('export const NX_VENDOR_ID = 0x00002320;\nconst OFPP16_IN_PORT = 0xfff8;\nconst OFPGT_SELECT = 1;', 'a.ts'),
    ...definitionsIn(
      'const NX = 0x00002320;\n  const OFPP_IN_PORT_16 = 0xfff8;\nexport const OFPGT_SELECT = 1;\nconst OFPGT_ALL = 0;',
      'b.ts',
    ),
    ...definitionsIn(
      'const OFPP_ANY = 0xffffffff;\nconst OFPG_ANY = 0xffffffff;\nconst OFPMPF_REPLY_MORE = 1;\nconst OFPMPF_REQ_MORE = 1;',
      'c.ts',
    ),
  ];
  t.same(violations(defs), [
    'OFPGT_SELECT is defined twice: a.ts:3 and b.ts:3',
    'NX_VENDOR_ID (a.ts:1) and NX (b.ts:1) are two names for 8992',
    'OFPP16_IN_PORT (a.ts:2) and OFPP_IN_PORT_16 (b.ts:2) are two names for 65528',
  ]);
});

t.test('protocol/, lib/, benchmarks/ and examples/ define each numeric constant once, under one name', async (t) => {
  const defs = TREES.flatMap((tree) =>
    sources(join(ROOT, tree)).flatMap((path) => definitionsIn(readFileSync(path, 'utf8'), relative(ROOT, path))),
  );
  t.ok(defs.length > 300, `${defs.length} constants read`);
  t.ok(
    defs.some((d) => d.name === 'NX_VENDOR_ID' && d.at.startsWith('protocol/constants/nicira.ts')),
    'the Nicira experimenter id is read from its module',
  );
  t.same(violations(defs), []);
});

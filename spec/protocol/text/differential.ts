/**
 * Differential fuzzing of the ovs-ofctl text syntax: mutations of the corpus texts
 * (spec/vectors/text/src) go through the installed `ovs-ofctl -O OpenFlow13 parse-flow|parse-group`
 * and through ofwire's parser and encoder, and each pair of outcomes falls into a class. Used by
 * differential.test.ts (seeded, bounded) and by `npm run fuzz:text` (the full run, a report).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeMessage } from '../../../protocol/index.js';
import { parseFlow, parseGroup } from '../../../protocol/text/index.js';
import { VECTORS } from '../../helpers/vectors.js';
import { prng } from '../../helpers/varied-flows.js';

const run = promisify(execFile);
const SRC = join(VECTORS, 'text', 'src');

export type TextKind = 'flow' | 'group';

export interface FuzzCase {
  kind: TextKind;
  /** The mutation that made it (`seed` for an unchanged corpus text). */
  mutation: string;
  /** The corpus text it came from. */
  from: string;
  text: string;
}

/** What one side did with a text: the bytes it would send (xid 1), or its error. */
export type Outcome = { ok: true; hex: string } | { ok: false; error: string };

export type Verdict =
  | 'agree'
  | 'agree-refused'
  /** Different bytes that ovs-ofctl prints the same way. */
  | 'same-meaning'
  /** Both accept, and the switch would be told different things. */
  | 'different-meaning'
  /** ofwire sends what ovs-ofctl refuses: a match or action OVS would not install as written. */
  | 'ofwire-only'
  /** ofwire refuses what ovs-ofctl accepts (where ovs-ofctl silently changes a value, by design). */
  | 'ovs-only';

export interface FuzzResult extends FuzzCase {
  ovs: Outcome;
  ofwire: Outcome;
  verdict: Verdict;
}

// ---- seeds ---------------------------------------------------------------------------------------

function lines(file: string): string[] {
  return readFileSync(join(SRC, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
}

/** The corpus texts, valid and invalid, flows and groups. */
export function corpusSeeds(): { kind: TextKind; text: string }[] {
  return [
    ...lines('flows.txt').map((text) => ({ kind: 'flow' as const, text })),
    ...lines('invalid-flows.txt').map((text) => ({ kind: 'flow' as const, text })),
    ...lines('groups.txt').map((text) => ({ kind: 'group' as const, text })),
    ...lines('invalid-groups.txt').map((text) => ({ kind: 'group' as const, text })),
  ];
}

// ---- mutations -----------------------------------------------------------------------------------

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

interface Span {
  start: number;
  end: number;
}

function spans(text: string, re: RegExp): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function replaceSpan(text: string, s: Span, by: string): string {
  return text.slice(0, s.start) + by + text.slice(s.end);
}

/** `key=value` items: the value's span. */
const VALUE = /(?<==)[^,()=\s]+/g;
/** Decimal numbers standing alone (not inside hex, addresses or names). */
const DECIMAL = /(?<![0-9a-zA-Z_.:x])[0-9]+(?![0-9a-zA-Z_.:])/g;
const ITEM = /[a-z_0-9]+=[^,()\s]+/g;
const UNICODE_SPACES = ['\u00a0', '\ufeff', '\u2003', '\u3000'];
const BOUNDARIES = [
  '256',
  '65536',
  '4294967296',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999',
  '0x10000000000000000',
  '-1',
  '-0',
  '+0',
];
const MASKS = ['/0', '/0x0', '/08', '/00', '/-1', '/0xffffffffffffffffffffffff', '/99999999999999999999'];
const NOISE = [',', '=', '(', ')', '/', ':', '[', ']', '.', '+', '-', '*', '0', 'x', ' '];

/** Each mutation returns the mutated text, or null where the text offers nothing to mutate. */
const MUTATIONS: Readonly<Record<string, (t: string, r: Rand) => string | null>> = {
  'empty-value': (t, r) => {
    const s = spans(t, VALUE);
    if (!s.length) return null;
    const v = pick(r, s);
    // `key=` or a bare `key`.
    return r() < 0.5 ? replaceSpan(t, v, '') : replaceSpan(t, { start: v.start - 1, end: v.end }, '');
  },
  'leading-zero': (t, r) => {
    const s = spans(t, DECIMAL);
    if (!s.length) return null;
    const n = pick(r, s);
    return replaceSpan(t, n, `${pick(r, ['0', '00', '000'])}${t.slice(n.start, n.end)}`);
  },
  sign: (t, r) => {
    const s = spans(t, DECIMAL);
    if (!s.length) return null;
    const n = pick(r, s);
    return replaceSpan(t, n, `${pick(r, ['+', '-', '+0', '-0'])}${t.slice(n.start, n.end)}`);
  },
  boundary: (t, r) => {
    const s = spans(t, DECIMAL);
    if (!s.length) return null;
    return replaceSpan(t, pick(r, s), pick(r, BOUNDARIES));
  },
  mask: (t, r) => {
    const s = spans(t, VALUE);
    if (!s.length) return null;
    const v = pick(r, s);
    return replaceSpan(t, { start: v.end, end: v.end }, pick(r, MASKS));
  },
  'ascii-space': (t, r) => {
    const s = spans(t, /[(,]/g).filter((x) => t.slice(0, x.start).split('(').length > t.slice(0, x.start).split(')').length);
    if (!s.length) return null;
    const at = pick(r, s).end;
    return t.slice(0, at) + pick(r, [' ', '  ', '\t']) + t.slice(at);
  },
  'unicode-space': (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    return t.slice(0, at) + pick(r, UNICODE_SPACES) + t.slice(at);
  },
  'duplicate-item': (t, r) => {
    const s = [...spans(t, ITEM), ...spans(t, /fields\([^)]*\)/g)];
    if (!s.length) return null;
    const i = pick(r, s);
    return replaceSpan(t, { start: i.end, end: i.end }, `,${t.slice(i.start, i.end)}`);
  },
  'delete-item': (t, r) => {
    const s = spans(t, /[^,]+/g);
    if (s.length < 2) return null;
    const i = pick(r, s);
    return replaceSpan(t, { start: i.start, end: Math.min(t.length, i.end + 1) }, '');
  },
  'empty-actions': (t, r) => {
    const s = spans(t, /actions=[^,]*/g);
    if (!s.length) return null;
    return replaceSpan(t, pick(r, s), 'actions=');
  },
  noise: (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    if (r() < 0.5 && t.length) return t.slice(0, at) + t.slice(at + 1);
    return t.slice(0, at) + pick(r, NOISE) + t.slice(at);
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/**
 * `count` cases from the seeds: the seeds themselves first (up to `count`), then mutations of
 * random seeds, one to three each, drawn with the generator seeded by `seed`. Duplicates are skipped.
 */
export function fuzzCases(seeds: readonly { kind: TextKind; text: string }[], count: number, seed: number, withSeeds = true): FuzzCase[] {
  const r = prng(seed);
  const out: FuzzCase[] = [];
  const seen = new Set<string>();
  const add = (c: FuzzCase) => {
    const key = `${c.kind}\0${c.text}`;
    if (seen.has(key) || out.length >= count) return;
    seen.add(key);
    out.push(c);
  };
  if (withSeeds) for (const s of seeds) add({ kind: s.kind, mutation: 'seed', from: s.text, text: s.text });
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const s = pick(r, seeds);
    let text = s.text;
    const names: string[] = [];
    const n = 1 + Math.floor(r() * r() * 3);
    for (let i = 0; i < n; i++) {
      const name = pick(r, MUTATION_NAMES);
      const next = MUTATIONS[name]!(text, r);
      if (next === null || next === text) continue;
      text = next;
      names.push(name);
    }
    if (names.length) add({ kind: s.kind, mutation: names.join('+'), from: s.text, text });
  }
  return out;
}

// ---- the two sides -------------------------------------------------------------------------------

/** The bytes of `ovs-ofctl -mmmmm` hex dump lines (`00000000  04 0e 00 48 …-… |…|`). */
export function hexFromDump(out: string): string {
  let hex = '';
  for (const line of out.split('\n')) {
    const m = /^[0-9a-f]{8} {2}((?:[0-9a-f]{2}[ -]){1,16})/.exec(line);
    if (m) hex += m[1]!.replace(/[ -]/g, '');
  }
  return hex;
}

/** ovs-ofctl 3.1's verdict on a text, for OpenFlow 1.3, with xid 1. */
export async function ovsOutcome(kind: TextKind, text: string): Promise<Outcome> {
  try {
    const { stdout } = await run('ovs-ofctl', ['-O', 'OpenFlow13', '-mmmmm', kind === 'flow' ? 'parse-flow' : 'parse-group', text], {
      timeout: 10_000,
    });
    return { ok: true, hex: hexFromDump(stdout) };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const msg = (e.stderr ?? e.message).split('\n').find((l) => l.startsWith('ovs-ofctl: ')) ?? e.message;
    return { ok: false, error: msg.replace(/^ovs-ofctl: /, '').trim() };
  }
}

/** ofwire's verdict: parse, then encode, as `ofwire encode add-flow|add-group` does. */
export function ofwireOutcome(kind: TextKind, text: string): Outcome {
  try {
    const m = kind === 'flow' ? parseFlow(text, { xid: 1 }) : parseGroup(text, { xid: 1 });
    return { ok: true, hex: encodeMessage(m).toString('hex') };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

async function ofpPrint(hex: string): Promise<string> {
  try {
    const { stdout } = await run('ovs-ofctl', ['ofp-print', hex], { timeout: 10_000 });
    return stdout.replace(/\(xid=0x[0-9a-f]+\)/, '');
  } catch {
    return `unprintable ${hex}`;
  }
}

export async function judge(c: FuzzCase): Promise<FuzzResult> {
  const [ovs, ofwire] = [await ovsOutcome(c.kind, c.text), ofwireOutcome(c.kind, c.text)];
  let verdict: Verdict;
  if (!ovs.ok) verdict = ofwire.ok ? 'ofwire-only' : 'agree-refused';
  else if (!ofwire.ok) verdict = 'ovs-only';
  else if (ovs.hex === ofwire.hex) verdict = 'agree';
  else verdict = (await ofpPrint(ovs.hex)) === (await ofpPrint(ofwire.hex)) ? 'same-meaning' : 'different-meaning';
  return { ...c, ovs, ofwire, verdict };
}

/** Judges every case, `parallel` ovs-ofctl processes at a time, in the cases' order. */
export async function judgeAll(cases: readonly FuzzCase[], parallel = 4, progress?: (done: number) => void): Promise<FuzzResult[]> {
  const out = new Array<FuzzResult>(cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      out[i] = await judge(cases[i]!);
      progress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, worker));
  return out;
}

/** `ovs-ofctl` is on the PATH. */
export async function haveOvsOfctl(): Promise<boolean> {
  try {
    await run('ovs-ofctl', ['--version']);
    return true;
  } catch {
    return false;
  }
}

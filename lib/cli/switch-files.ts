/**
 * Files of flows, groups and bundle lines as ovs-ofctl reads them, read a chunk at a time so that
 * a large file is parsed while it streams to the switch. `#` starts a comment anywhere on a line;
 * lines holding only spaces, tabs (and a comment) are skipped; `-` is standard input.
 *
 * Line forms:
 *   flows (add-flows, add-flow -)      [add|modify|modify_strict|delete|delete_strict] FLOW
 *   flows with a fixed command         FLOW (mod-flows -, del-flows -)
 *   groups (add-groups, add-group -)   [add|modify|delete] GROUP
 *   groups with a fixed command        GROUP (mod-group -, del-groups -)
 *   bundle                             flow [COMMAND] FLOW  |  group [COMMAND] GROUP
 */
import { createReadStream, openSync, type ReadStream } from 'node:fs';
import type { FlowMod, GroupMod } from '../../protocol/index.js';
import { OfpSyntaxError, type ParseWarning } from '../../protocol/text/errors.js';
import { skipSpace, wordEnd } from '../../protocol/text/lexer.js';
import { parseFlow, parseFlowLine, type FlowCommand } from '../../protocol/text/parse-flow.js';
import { parseGroup, parseGroupLine, type GroupCommand } from '../../protocol/text/parse-group.js';
import { CliError } from './errors.js';

export type Mod = FlowMod | GroupMod;

/** A parsed line and where it came from. */
export interface ParsedLine {
  mod: Mod;
  line: number;
}

export type LineForm = { kind: 'flows'; command?: FlowCommand } | { kind: 'groups'; command?: GroupCommand } | { kind: 'bundle' };

export interface ParseContext {
  /** Port names the text may use. */
  ports?: ReadonlyMap<string, number>;
  /** Warnings (things OpenFlow 1.3 cannot carry), each prefixed with its line. */
  warnings: ParseWarning[];
}

/** An open input: a file or standard input. */
export interface Input {
  /** How errors name it: the path, or `stdin`. */
  name: string;
  stream: NodeJS.ReadableStream;
}

/** Opens FILE (or stdin for `-`) now, so that a missing file is reported before anything else. */
export function openInput(path: string): Input {
  if (path === '-') return { name: 'stdin', stream: process.stdin };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`${path}: open failed (${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)})`);
  }
  const stream: ReadStream = createReadStream(path, { fd, highWaterMark: 1 << 16 });
  return { name: path, stream };
}

/** A line worth parsing: its text with any comment removed, and its 1-based number. */
export interface Line {
  text: string;
  number: number;
}

/** Only spaces, tabs and newlines (a line ovs-ofctl skips). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a) return false;
  }
  return true;
}

/** The input's meaningful lines, in batches (one per chunk read). */
export async function* lineBatches(input: Input): AsyncGenerator<Line[]> {
  input.stream.setEncoding('utf8');
  let rest = '';
  let number = 0;
  const take = (text: string, out: Line[]) => {
    number++;
    const hash = text.indexOf('#');
    const body = hash >= 0 ? text.slice(0, hash) : text;
    if (!isBlank(body)) out.push({ text: body, number });
  };
  try {
    for await (const chunk of input.stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const out: Line[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl), out);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (out.length) yield out;
    }
  } catch (err) {
    throw new CliError(`${input.name}: read failed (${(err as Error).message})`);
  }
  if (rest !== '') {
    const out: Line[] = [];
    take(rest, out);
    if (out.length) yield out;
  }
}

/** Makes a syntax error name the input and line: `flows.txt:3: ovs-ofctl syntax: "…" …`. */
export function lineError(where: string, err: unknown): unknown {
  if (!(err instanceof OfpSyntaxError)) return err;
  return new CliError(`${where}: ${new OfpSyntaxError(err.reason, err.token, err.column).message}`);
}

const FLOW_WORD = 'flow';
const GROUP_WORD = 'group';

type LineOptions = { ports?: ReadonlyMap<string, number>; warnings: ParseWarning[] };

/** A bundle line: its first word says flow or group (any prefix of it, as ovs-ofctl compares). */
function parseBundleLine(text: string, opts: LineOptions): Mod {
  const lead = skipSpace(text);
  const len = wordEnd(text, lead) - lead;
  const word = text.slice(lead, lead + len);
  const rest = text.slice(lead + len);
  const at = lead + len;
  if (FLOW_WORD.startsWith(word)) return parseFlowLine(rest, at, opts, 'add');
  if (GROUP_WORD.startsWith(word)) return parseGroupLine(rest, at, opts);
  if ('packet-out'.startsWith(word)) {
    throw new OfpSyntaxError('packet-out is not supported in bundles by ofwire (flow and group only)', word, lead);
  }
  throw new OfpSyntaxError('Unsupported bundle message type (expected flow or group)', word, lead);
}

/**
 * A parser for lines of one form (throwing OfpSyntaxError); what it drops for OpenFlow 1.3 is
 * left in `warnings` for the caller to label.
 */
export function lineParser(
  form: LineForm,
  ports: ReadonlyMap<string, number> | undefined,
  warnings: ParseWarning[],
): (text: string) => Mod {
  const opts: LineOptions = ports ? { ports, warnings } : { warnings };
  switch (form.kind) {
    case 'flows': {
      if (!form.command) return (text) => parseFlowLine(text, 0, opts, 'add');
      const fixed = { ...opts, command: form.command };
      return (text) => parseFlow(text, fixed);
    }
    case 'groups': {
      if (!form.command) return (text) => parseGroupLine(text, 0, opts);
      const fixed = { ...opts, command: form.command };
      return (text) => parseGroup(text, fixed);
    }
    case 'bundle':
      return (text) => parseBundleLine(text, opts);
  }
}

/**
 * Parses the input's lines as they are read, in batches (one per chunk read); errors and warnings
 * name the line. Each batch parses a line only when it is iterated, so that a line's message can be
 * sent and dropped before the next is built (a whole chunk of parsed groups outlives young-generation
 * collections and is copied by each).
 */
export async function* parsedBatches(input: Input, form: LineForm, ctx: ParseContext): AsyncGenerator<Iterable<ParsedLine>> {
  const dropped: ParseWarning[] = [];
  const parse = lineParser(form, ctx.ports, dropped);
  for await (const lines of lineBatches(input)) yield parseEach(lines, parse, input.name, dropped, ctx.warnings);
}

function* parseEach(
  lines: Line[],
  parse: (text: string) => Mod,
  name: string,
  dropped: ParseWarning[],
  warnings: ParseWarning[],
): Generator<ParsedLine> {
  for (let i = 0; i < lines.length; i++) {
    const { text, number } = lines[i]!;
    let mod: Mod;
    try {
      mod = parse(text);
    } catch (err) {
      throw lineError(`${name}:${number}`, err);
    }
    if (dropped.length) {
      for (const w of dropped) warnings.push({ ...w, message: `${name}:${number}: ${w.message}` });
      dropped.length = 0;
    }
    yield { mod, line: number };
  }
}

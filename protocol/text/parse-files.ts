/**
 * add-flows and add-groups files as ovs-ofctl reads them: `#` starts a comment (anywhere on a
 * line), blank lines are skipped, and each line may begin with a command word (add, modify,
 * modify_strict, delete, delete_strict for flows; add, modify, delete for groups).
 */
import type { FlowMod, GroupMod } from '../message.js';
import { OfpSyntaxError, type ParseWarning } from './errors.js';
import { parseFlowLine, type ParseFlowOptions } from './parse-flow.js';
import { parseGroupLine, type ParseGroupOptions } from './parse-group.js';

interface Line {
  text: string;
  number: number;
}

/** The lines ovs-ofctl would parse: comments removed, lines of only spaces and tabs skipped. */
function fileLines(content: string): Line[] {
  const out: Line[] = [];
  const lines = content.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const text = hash >= 0 ? raw.slice(0, hash) : raw;
    if (/^[ \t\n]*$/.test(text)) return;
    out.push({ text, number: i + 1 });
  });
  return out;
}

function onLine<T>(line: Line, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OfpSyntaxError) {
      throw new OfpSyntaxError(err.reason, err.token, err.column, line.number);
    }
    throw err;
  }
}

/** Options of parsing a file of flows or groups in ovs-ofctl's syntax. */
export interface ParseFileOptions {
  warnings?: ParseWarning[];
  ports?: ReadonlyMap<string, number>;
}

/** Every flow_mod of an add-flows file, in order. Errors name the line (columns are within it). */
export function parseFlowsFile(content: string, options: ParseFileOptions = {}): FlowMod[] {
  return fileLines(content).map((line) =>
    onLine(line, () => {
      const opts: ParseFlowOptions = {};
      if (options.ports) opts.ports = options.ports;
      const w: ParseWarning[] = [];
      opts.warnings = w;
      const fm = parseFlowLine(line.text, 0, opts);
      for (const x of w) options.warnings?.push({ ...x, message: `line ${line.number}: ${x.message}` });
      return fm;
    }),
  );
}

/** Every group_mod of an add-groups file, in order. */
export function parseGroupsFile(content: string, options: ParseFileOptions = {}): GroupMod[] {
  return fileLines(content).map((line) =>
    onLine(line, () => {
      const opts: ParseGroupOptions = {};
      if (options.ports) opts.ports = options.ports;
      const w: ParseWarning[] = [];
      opts.warnings = w;
      const gm = parseGroupLine(line.text, 0, opts);
      for (const x of w) options.warnings?.push({ ...x, message: `line ${line.number}: ${x.message}` });
      return gm;
    }),
  );
}

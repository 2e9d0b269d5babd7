/**
 * `ofwire encode` forms that read ovs-ofctl text and print the hex of the OpenFlow 1.3 messages
 * `ovs-ofctl -O OpenFlow13` would send for it, one per line:
 *
 *   ofwire encode add-flow FLOW           ofwire encode add-group GROUP
 *   ofwire encode mod-flows [--strict] FLOW    ofwire encode mod-group GROUP
 *   ofwire encode del-flows [--strict] [FLOW]  ofwire encode del-groups [GROUP]
 *   ofwire encode add-flows FILE|-        ofwire encode add-groups FILE|-
 *
 * With --bundle the messages go in one atomic, ordered ONF bundle (open, adds, commit), as
 * `ovs-ofctl --bundle` sends them. Transaction ids are the ones ovs-ofctl uses on a fresh
 * connection. What ovs-ofctl accepts but drops for OpenFlow 1.3 is reported on stderr.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { BundleAdd, BundleControl, FlowMod, GroupMod, OfpMessage } from '../../protocol/index.js';
import { OfpSyntaxError, parseFlow, parseFlowsFile, parseGroup, parseGroupsFile, type ParseWarning } from '../../protocol/text/index.js';
import { registerEncodeForm } from './codec-commands.js';
import { CliError } from './errors.js';
import { OFPBCT_COMMIT_REQUEST, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, OFPBF_ORDERED } from '../../protocol/constants/openflow13.js';

export interface TextEncodeOptions {
  strict?: boolean;
  bundle?: boolean;
  /** Where warnings go (default: stderr, one line each). */
  warn?: (line: string) => void;
  /** Reads a file argument (`-` is stdin). */
  readText?: (path: string) => Promise<string>;
}

/** The first xid ovs-ofctl uses for a command after its handshake. */
const FIRST_XID = 2;

type Mod = FlowMod | GroupMod;

/** The messages ovs-ofctl sends for `mods`: each on its own (xids 2, 4, …), or in one bundle. */
export function sequence(mods: Mod[], bundle: boolean): OfpMessage[] {
  if (!bundle) return mods.map((m, i) => ({ ...m, xid: FIRST_XID + 2 * i }));
  const n = mods.length;
  const control = (ctrlType: number, xid: number): BundleControl => ({
    type: 'bundle_control',
    xid,
    bundleId: 0,
    ctrlType,
    flags: OFPBF_ATOMIC | OFPBF_ORDERED,
    properties: [],
  });
  const adds: BundleAdd[] = mods.map((m, i) => {
    const xid = FIRST_XID + i;
    return { type: 'bundle_add', xid, bundleId: 0, flags: OFPBF_ATOMIC | OFPBF_ORDERED, message: { ...m, xid }, properties: [] };
  });
  return [control(OFPBCT_OPEN_REQUEST, FIRST_XID + n), ...adds, control(OFPBCT_COMMIT_REQUEST, FIRST_XID + n + 2)];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function defaultRead(path: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function one(verb: string, args: string[], optional: boolean): string {
  if (args.length > 1)
    throw new CliError(`${verb} takes one ${verb.includes('group') ? 'group' : 'flow'} (got ${args.length} arguments; quote the text)`);
  if (!args.length && !optional) throw new CliError(`${verb} needs a ${verb.includes('group') ? 'group' : 'flow'}`);
  return args[0] ?? '';
}

/** Parses the text of one verb into the messages to send (before xids and bundling). */
async function parseVerb(verb: string, args: string[], opts: TextEncodeOptions, warnings: ParseWarning[]): Promise<Mod[]> {
  const read = opts.readText ?? defaultRead;
  switch (verb) {
    case 'add-flow':
      return [parseFlow(one(verb, args, false), { command: 'add', warnings })];
    case 'mod-flows':
      return [parseFlow(one(verb, args, false), { command: opts.strict ? 'modify_strict' : 'modify', warnings })];
    case 'del-flows':
      return [parseFlow(one(verb, args, true), { command: opts.strict ? 'delete_strict' : 'delete', warnings })];
    case 'add-group':
      return [parseGroup(one(verb, args, false), { command: 'add', warnings })];
    case 'mod-group':
      return [parseGroup(one(verb, args, false), { command: 'modify', warnings })];
    case 'del-groups':
      return [parseGroup(one(verb, args, true), { command: 'delete', warnings })];
    case 'add-flows':
    case 'add-groups': {
      if (args.length !== 1) throw new CliError(`${verb} takes one FILE (or - for stdin)`);
      const text = await read(args[0]!);
      return verb === 'add-flows' ? parseFlowsFile(text, { warnings }) : parseGroupsFile(text, { warnings });
    }
    default:
      throw new CliError(`unknown verb ${verb}`);
  }
}

export const TEXT_VERBS = ['add-flow', 'mod-flows', 'del-flows', 'add-group', 'mod-group', 'del-groups', 'add-flows', 'add-groups'];

/** The messages `ofwire encode VERB ARGS` prints. Syntax errors become one-line CliErrors. */
export async function encodeText(verb: string, args: string[], opts: TextEncodeOptions = {}): Promise<OfpMessage[]> {
  const warnings: ParseWarning[] = [];
  let mods: Mod[];
  try {
    mods = await parseVerb(verb, args, opts, warnings);
  } catch (err) {
    if (err instanceof OfpSyntaxError) throw new CliError(err.message);
    throw err;
  }
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const w of warnings) warn(`ofwire encode ${verb}: warning: ${w.message}`);
  return sequence(mods, opts.bundle === true);
}

/**
 * Registers the text forms on `ofwire encode` and its --strict and --bundle options. Call after
 * registerCodecCommands(program).
 */
export function registerEncodeTextCommands(program: Command): void {
  const encode = program.commands.find((c) => c.name() === 'encode');
  if (encode) {
    encode
      .option('--strict', 'mod-flows/del-flows: match priority and fields exactly (MODIFY_STRICT, DELETE_STRICT)')
      .option('--bundle', 'send the messages in one atomic, ordered bundle, as ovs-ofctl --bundle does');
  }
  const opts = (): { strict?: boolean; bundle?: boolean } => encode?.opts() ?? {};
  for (const verb of TEXT_VERBS) {
    registerEncodeForm(verb, (args) => {
      const o = opts();
      const flags: TextEncodeOptions = {};
      if (o.strict) flags.strict = true;
      if (o.bundle) flags.bundle = true;
      if (flags.strict && verb !== 'mod-flows' && verb !== 'del-flows')
        throw new CliError(`--strict applies to mod-flows and del-flows, not ${verb}`);
      return encodeText(verb, args, flags);
    });
  }
}

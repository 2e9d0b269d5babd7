/**
 * The verbs that change a switch's tables, as ovs-ofctl has them:
 *
 *   add-flow TARGET FLOW|-      mod-flows TARGET FLOW|-     del-flows TARGET [FLOW|-]
 *   add-group TARGET GROUP|-    mod-group TARGET GROUP|-    del-groups TARGET [GROUP|-]
 *   add-flows TARGET FILE|-     add-groups TARGET FILE|-    bundle TARGET FILE|-
 *
 * With --bundle (always for `bundle`) the changes form one atomic transaction, streamed to the
 * switch while the file is parsed. Without it, the whole file is parsed first (a syntax error
 * sends nothing), then every change is sent at once and confirmed; a change the switch refuses
 * does not stop the others (ovs-ofctl stops at the first, waiting for each change in turn).
 */
import type { FlowMod, GroupMod } from '../../protocol/index.js';
import { OfpSyntaxError } from '../../protocol/text/errors.js';
import { BatchError, OpenFlowError } from '../session/errors.js';
import type { Session } from '../session/session.js';
import { CliError } from './errors.js';
import { BundleFailed, streamBundle } from './switch-bundle.js';
import {
  lineParser,
  openInput,
  parsedBatches,
  type Input,
  type LineForm,
  type Mod,
  type ParseContext,
  type ParsedLine,
} from './switch-files.js';
import type { SwitchOptions } from './switch-options.js';
import { openSession, portNames } from './switch-target.js';

export type ModVerb =
  'add-flow' | 'add-flows' | 'mod-flows' | 'del-flows' | 'add-group' | 'add-groups' | 'mod-group' | 'del-groups' | 'bundle';

interface ModVerbSpec {
  /** What follows TARGET: one flow or group (or `-`), an optional one, or a FILE. */
  operand: 'text' | 'optional-text' | 'file';
  noun: 'flow' | 'group' | 'FILE';
  /** How a single operand, or each line of a file, is read. */
  form(strict: boolean): LineForm;
}

const flows = (command?: 'add' | 'modify' | 'modify_strict' | 'delete' | 'delete_strict'): LineForm =>
  command ? { kind: 'flows', command } : { kind: 'flows' };
const groups = (command?: 'add' | 'modify' | 'delete'): LineForm => (command ? { kind: 'groups', command } : { kind: 'groups' });

const MOD_VERBS: Record<ModVerb, ModVerbSpec> = {
  'add-flow': { operand: 'text', noun: 'flow', form: () => flows() },
  'add-flows': { operand: 'file', noun: 'FILE', form: () => flows() },
  'mod-flows': { operand: 'text', noun: 'flow', form: (strict) => flows(strict ? 'modify_strict' : 'modify') },
  'del-flows': { operand: 'optional-text', noun: 'flow', form: (strict) => flows(strict ? 'delete_strict' : 'delete') },
  'add-group': { operand: 'text', noun: 'group', form: () => groups() },
  'add-groups': { operand: 'file', noun: 'FILE', form: () => groups() },
  'mod-group': { operand: 'text', noun: 'group', form: () => groups('modify') },
  'del-groups': { operand: 'optional-text', noun: 'group', form: () => groups('delete') },
  bundle: { operand: 'file', noun: 'FILE', form: () => ({ kind: 'bundle' }) },
};

/** A single flow or group on the command line reads with the verb's own command, never a keyword. */
function singleForm(verb: ModVerb, strict: boolean): LineForm {
  const form = MOD_VERBS[verb].form(strict);
  if (form.kind === 'flows') return flows(form.command ?? 'add');
  if (form.kind === 'groups') return groups(form.command ?? 'add');
  return form;
}

function usage(verb: ModVerb): string {
  const spec = MOD_VERBS[verb];
  const noun = spec.noun.toUpperCase();
  return `${verb} TARGET ${spec.operand === 'optional-text' ? `[${noun}|-]` : `${noun}|-`}`;
}

function checkOperands(verb: ModVerb, args: string[]): void {
  const spec = MOD_VERBS[verb];
  const min = spec.operand === 'optional-text' ? 1 : 2;
  if (args.length < min) throw new CliError(`missing ${args.length === 0 ? 'TARGET' : spec.noun.toUpperCase()} (usage: ${usage(verb)})`);
  if (args.length > 2) {
    throw new CliError(`too many arguments (usage: ${usage(verb)}${spec.operand === 'file' ? '' : `; quote the ${spec.noun}`})`);
  }
}

const FLOW_COMMANDS = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'];
const GROUP_COMMANDS = ['add', 'modify', 'delete'];

/** `flow_mod add`, `group_mod delete`, … */
function what(mod: Mod): string {
  return mod.type === 'flow_mod'
    ? `flow_mod ${FLOW_COMMANDS[mod.command] ?? mod.command}`
    : `group_mod ${GROUP_COMMANDS[mod.command] ?? mod.command}`;
}

function errorName(err: Error): string {
  return err instanceof OpenFlowError ? `${err.typeName}/${err.codeName}` : err.message;
}

/** Runs one verb; throws CliError (or a connection error) with a one-line message. */
export async function runModVerb(verb: ModVerb, args: string[], options: SwitchOptions, warn: (line: string) => void): Promise<void> {
  checkOperands(verb, args);
  const spec = MOD_VERBS[verb];
  const target = args[0]!;
  const operand = args[1];
  const fromFile = spec.operand === 'file' || operand === '-';
  const input = fromFile ? openInput(operand!) : undefined;
  const atomic = options.bundle || verb === 'bundle';

  const session = await openSession(target, options);
  const ctx: ParseContext = { warnings: [] };
  try {
    if (options.names !== false) ctx.ports = await portNames(session);
    if (input) {
      await applyFile(session, input, spec.form(options.strict), ctx, atomic);
    } else {
      let mod: Mod;
      try {
        mod = lineParser(singleForm(verb, options.strict), ctx.ports, ctx.warnings)(operand ?? '');
      } catch (err) {
        if (err instanceof OfpSyntaxError) throw new CliError(err.message);
        throw err;
      }
      await applyOne(session, mod, atomic);
    }
  } finally {
    for (const w of ctx.warnings) warn(`warning: ${w.message}`);
    await session.close();
  }
}

async function applyOne(session: Session, mod: FlowMod | GroupMod, atomic: boolean): Promise<void> {
  if (atomic) {
    try {
      await streamBundle(session, [[{ mod, line: 0 }]]);
    } catch (err) {
      if (err instanceof BundleFailed) {
        throw new CliError(`switch rejected the ${what(mod)}: ${errorName(err.cause)}; bundle discarded, nothing applied`);
      }
      throw err;
    }
    return;
  }
  try {
    await session.request(mod);
  } catch (err) {
    if (err instanceof OpenFlowError) throw new CliError(`switch rejected the ${what(mod)}: ${errorName(err)}`);
    throw err;
  }
}

async function applyFile(session: Session, input: Input, form: LineForm, ctx: ParseContext, atomic: boolean): Promise<void> {
  const batches = parsedBatches(input, form, ctx);
  if (atomic) {
    try {
      await streamBundle(session, batches);
    } catch (err) {
      if (!(err instanceof BundleFailed)) throw err;
      if (err.stage === 'open') throw new CliError(`switch refused to open a bundle: ${errorName(err.cause)}`);
      const m = err.member;
      const where = m ? `${input.name}:${m.line}: ` : '';
      throw new CliError(
        `${where}switch rejected ${m ? `the ${m.what}` : 'the bundle'}: ${errorName(err.cause)}; bundle discarded, nothing applied`,
      );
    }
    return;
  }
  // Parsed whole first: like ovs-ofctl, a syntax error anywhere sends nothing.
  const parsed: ParsedLine[] = [];
  for await (const batch of batches) for (const p of batch) parsed.push(p);
  try {
    await session.sendAll(parsed.map((p) => p.mod));
  } catch (err) {
    if (!(err instanceof BatchError)) throw err;
    const first = err.failures[0]!;
    const line = parsed.find((p) => p.mod === first.request)?.line;
    const where = line !== undefined ? `${input.name}:${line}: ` : '';
    const others = err.failures.length > 1 ? `${err.failures.length} of ${err.total} refused` : `1 of ${err.total} refused`;
    throw new CliError(
      `${where}switch rejected the ${first.request ? what(first.request as Mod) : 'change'}: ${errorName(first)} (${others}; the others were applied)`,
    );
  }
}

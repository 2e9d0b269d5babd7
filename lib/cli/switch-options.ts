/**
 * The command line of the switch verbs, read the way ovs-ofctl reads its own (getopt_long with
 * argument permutation): options may come before, between or after the verb and its arguments;
 * a long option may be shortened to any unambiguous prefix and takes its value as `--opt=VALUE`
 * or `--opt VALUE`, a short one as `-OVALUE` or `-O VALUE`; `--` ends the options and a lone `-`
 * is an argument (standard input).
 *
 * This module imports nothing heavy: `ofwire` reads it first to decide which verbs to load.
 */
import { CliError } from './errors.js';

export const SWITCH_VERBS = [
  'show',
  'dump-flows',
  'dump-groups',
  'dump-group-stats',
  'add-flow',
  'add-flows',
  'mod-flows',
  'del-flows',
  'add-group',
  'add-groups',
  'mod-group',
  'del-groups',
  'bundle',
] as const;

export type SwitchVerb = (typeof SWITCH_VERBS)[number];

export function isSwitchVerb(word: string): word is SwitchVerb {
  return (SWITCH_VERBS as readonly string[]).includes(word);
}

export interface SwitchOptions {
  /** --strict: mod-flows and del-flows match priority and fields exactly. */
  strict: boolean;
  /** --bundle: send the changes as one atomic, ordered bundle. */
  bundle: boolean;
  /** --stats (default) / --no-stats for dump-flows. */
  stats: boolean;
  /** --names / --no-names; undefined when neither was given. */
  names: boolean | undefined;
  /** -t, --timeout: give up after this many seconds. */
  timeoutSec: number | undefined;
  /** -p, -c, -C: TLS files for ssl: targets. */
  privateKey: string | undefined;
  certificate: string | undefined;
  caCert: string | undefined;
  help: boolean;
}

export interface SwitchCommandLine {
  /** The first argument that is not an option, if any. */
  verb: string | undefined;
  /** The arguments after the verb (TARGET first). */
  args: string[];
  options: SwitchOptions;
}

type OptionName =
  | 'strict'
  | 'bundle'
  | 'stats'
  | 'no-stats'
  | 'names'
  | 'no-names'
  | 'protocols'
  | 'timeout'
  | 'private-key'
  | 'certificate'
  | 'ca-cert'
  | 'help';

interface OptionDef {
  name: OptionName;
  short?: string;
  takesValue: boolean;
}

const OPTIONS: readonly OptionDef[] = [
  { name: 'strict', takesValue: false },
  { name: 'bundle', takesValue: false },
  { name: 'stats', takesValue: false },
  { name: 'no-stats', takesValue: false },
  { name: 'names', takesValue: false },
  { name: 'no-names', takesValue: false },
  { name: 'protocols', short: 'O', takesValue: true },
  { name: 'timeout', short: 't', takesValue: true },
  { name: 'private-key', short: 'p', takesValue: true },
  { name: 'certificate', short: 'c', takesValue: true },
  { name: 'ca-cert', short: 'C', takesValue: true },
  { name: 'help', short: 'h', takesValue: false },
];

type Token = { kind: 'arg'; value: string } | { kind: 'option'; def: OptionDef; value: string | undefined; spelled: string };

/** The long option `name` stands for: an exact name, or the only one it is a prefix of. */
function longOption(name: string): OptionDef {
  const exact = OPTIONS.find((o) => o.name === name);
  if (exact) return exact;
  const matches = OPTIONS.filter((o) => o.name.startsWith(name));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new CliError(`option '--${name}' is ambiguous; possibilities: ${matches.map((m) => `'--${m.name}'`).join(' ')}`);
  }
  throw new CliError(`unrecognized option '--${name}'`);
}

function* tokens(argv: readonly string[]): Generator<Token> {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) yield { kind: 'arg', value: rest };
      return;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const def = longOption(name);
      let value: string | undefined;
      if (def.takesValue) {
        if (eq >= 0) value = a.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i]!;
        else throw new CliError(`option '--${def.name}' requires an argument`);
      } else if (eq >= 0) {
        throw new CliError(`option '--${def.name}' doesn't allow an argument`);
      }
      yield { kind: 'option', def, value, spelled: `--${def.name}` };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A cluster of short options: flags, then at most one that takes the rest as its value.
      for (let j = 1; j < a.length; j++) {
        const def = OPTIONS.find((o) => o.short === a[j]);
        if (!def) throw new CliError(`invalid option -- '${a[j]}'`);
        if (!def.takesValue) {
          yield { kind: 'option', def, value: undefined, spelled: `-${a[j]}` };
          continue;
        }
        let value: string;
        if (j + 1 < a.length) value = a.slice(j + 1);
        else if (i + 1 < argv.length) value = argv[++i]!;
        else throw new CliError(`option requires an argument -- '${a[j]}'`);
        yield { kind: 'option', def, value, spelled: `-${a[j]}` };
        break;
      }
      continue;
    }
    yield { kind: 'arg', value: a };
  }
}

/**
 * The verb of a command line: its first argument that is neither an option nor an option's value
 * (options the switch verbs do not know are taken to have no value).
 */
export function findVerb(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (!a.startsWith('-') || a === '-') return a;
    if (a.startsWith('--')) {
      if (a.includes('=')) continue;
      const matches = OPTIONS.filter((o) => o.name.startsWith(a.slice(2)));
      if (matches.length === 1 && matches[0]!.takesValue) i++;
      continue;
    }
    const def = OPTIONS.find((o) => o.short === a[1]);
    if (def?.takesValue && a.length === 2) i++;
  }
  return undefined;
}

const VERSIONS = ['openflow10', 'openflow11', 'openflow12', 'openflow13', 'openflow14', 'openflow15'];

/** -O / --protocols: OpenFlow 1.3 must be among the versions, since it is the one ofwire speaks. */
function checkProtocols(spelled: string, text: string): void {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  for (const n of names) {
    if (!VERSIONS.includes(n.toLowerCase())) throw new CliError(`${spelled} ${text}: unknown OpenFlow version "${n}"`);
  }
  if (!names.some((n) => n.toLowerCase() === 'openflow13')) {
    throw new CliError(`${spelled} ${text}: ofwire speaks OpenFlow 1.3 only; use -O OpenFlow13`);
  }
}

function positiveInteger(spelled: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) === 0) throw new CliError(`value ${text} on ${spelled} is invalid`);
  return Number(text);
}

/** Reads a whole command line; throws CliError for an option it does not know or a bad value. */
export function parseSwitchCommandLine(argv: readonly string[]): SwitchCommandLine {
  const options: SwitchOptions = {
    strict: false,
    bundle: false,
    stats: true,
    names: undefined,
    timeoutSec: undefined,
    privateKey: undefined,
    certificate: undefined,
    caCert: undefined,
    help: false,
  };
  const args: string[] = [];
  for (const t of tokens(argv)) {
    if (t.kind === 'arg') {
      args.push(t.value);
      continue;
    }
    const value = t.value ?? '';
    switch (t.def.name) {
      case 'strict':
        options.strict = true;
        break;
      case 'bundle':
        options.bundle = true;
        break;
      case 'stats':
        options.stats = true;
        break;
      case 'no-stats':
        options.stats = false;
        break;
      case 'names':
        options.names = true;
        break;
      case 'no-names':
        options.names = false;
        break;
      case 'protocols':
        checkProtocols(t.spelled, value);
        break;
      case 'timeout':
        options.timeoutSec = positiveInteger(t.spelled, value);
        break;
      case 'private-key':
        options.privateKey = value;
        break;
      case 'certificate':
        options.certificate = value;
        break;
      case 'ca-cert':
        options.caCert = value;
        break;
      case 'help':
        options.help = true;
        break;
    }
  }
  return { verb: args[0], args: args.slice(1), options };
}

/** What `ofwire --help` says about the switch verbs. */
export const SWITCH_USAGE = `
Switch verbs (as ovs-ofctl -O OpenFlow13 has them; options may go anywhere):
  ofwire [OPTIONS] VERB TARGET [ARGS]

  show TARGET                        features, ports and configuration
  dump-flows TARGET [FLOW]           flows (all, or those matching FLOW)
  dump-groups TARGET [GROUP]         groups (OpenFlow 1.3 lists them all, whatever GROUP says)
  dump-group-stats TARGET [GROUP]    group counters (all, or group_id=N, or N)
  add-flow TARGET FLOW|-             add a flow (- reads a file of flows from stdin)
  add-flows TARGET FILE|-            flows, one per line; a line may start with add, modify,
                                     modify_strict, delete or delete_strict
  mod-flows TARGET FLOW|-            change the actions of matching flows
  del-flows TARGET [FLOW|-]          delete matching flows (all without FLOW)
  add-group TARGET GROUP|-           add a group
  add-groups TARGET FILE|-           groups, one per line; a line may start with add, modify
                                     or delete
  mod-group TARGET GROUP|-           change a group's type and buckets
  del-groups TARGET [GROUP|-]        delete a group (all without GROUP)
  bundle TARGET FILE|-               one atomic transaction: lines "flow [add|modify|
                                     modify_strict|delete|delete_strict] FLOW" and
                                     "group [add|modify|delete] GROUP"

  TARGET: unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT], or a bridge name
          (unix:$OVS_RUNDIR/BRIDGE.mgmt, OVS_RUNDIR defaulting to /var/run/openvswitch)
  FILE: # starts a comment; blank lines are skipped; - is standard input

  --bundle             apply the changes atomically, in one bundle
  --strict             mod-flows, del-flows: match priority and fields exactly
  --no-stats, --stats  dump-flows without (with) durations, counters, zero cookies and table 0
  -O, --protocols=VER  accepted when VER includes OpenFlow13 (the version ofwire speaks)
  --names, --no-names  --no-names: flows may not name ports (numbers only); output always
                       shows port numbers, as ovs-ofctl's does when it is not on a terminal
  -t, --timeout=SECS   give up after SECS seconds
  -p, --private-key=FILE  -c, --certificate=FILE  -C, --ca-cert=FILE   TLS for ssl: targets
`;

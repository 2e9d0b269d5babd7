/**
 * `ofwire [OPTIONS] VERB TARGET [ARGS]`: ovs-ofctl's switch verbs, with its verb names, options,
 * file formats and output (see switch-options.ts for the list). Each verb loads only what it
 * needs: the verbs that change tables never load the text printers, those that print never load
 * the bundle machinery, and none of them loads the service proxy.
 *
 * Any failure is one line on stderr, `ofwire VERB: …`, and exit status 1.
 */
import { action } from './errors.js';
import type { DumpVerb } from './switch-dumps.js';
import type { ModVerb } from './switch-mods.js';
import { findVerb, isSwitchVerb, parseSwitchCommandLine, SWITCH_USAGE, type SwitchOptions, type SwitchVerb } from './switch-options.js';

const DUMP_VERBS: readonly string[] = ['show', 'dump-flows', 'dump-groups', 'dump-group-stats'] satisfies DumpVerb[];

function isDumpVerb(verb: SwitchVerb): verb is DumpVerb {
  return DUMP_VERBS.includes(verb);
}

async function runVerb(verb: SwitchVerb, args: string[], options: SwitchOptions): Promise<void> {
  if (isDumpVerb(verb)) {
    const { runDumpVerb } = await import('./switch-dumps.js');
    await runDumpVerb(verb, args, options);
    return;
  }
  const { runModVerb } = await import('./switch-mods.js');
  await runModVerb(verb satisfies ModVerb, args, options, (line) => process.stderr.write(`ofwire ${verb}: ${line}\n`));
}

/** Runs one switch verb from the command line (without node and script); sets process.exitCode. */
export async function runSwitchCommand(argv: string[]): Promise<void> {
  const found = findVerb(argv);
  if (found === undefined || !isSwitchVerb(found)) {
    process.stderr.write(`ofwire: ${found === undefined ? 'missing VERB' : `unknown verb "${found}"`} (see ofwire --help)\n`);
    process.exitCode = 1;
    return;
  }
  await action(found, async () => {
    const { args, options } = parseSwitchCommandLine(argv);
    if (options.help) {
      process.stdout.write(SWITCH_USAGE.replace(/^\n/, ''));
      return;
    }
    if (options.timeoutSec !== undefined) {
      const seconds = options.timeoutSec;
      setTimeout(() => {
        process.stderr.write(`ofwire ${found}: timed out after ${seconds} s\n`);
        process.exit(1);
      }, seconds * 1000).unref();
    }
    await runVerb(found, args, options);
  })();
}

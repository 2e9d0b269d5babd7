#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * The `ofwire` command line. The switch verbs (ovs-ofctl's: show, dump-flows, add-flows, …) take
 * their options anywhere and load only what they need; the other verbs (print, encode, proxy)
 * register themselves on a commander program.
 *
 * The first line caps V8's young generation at 4 MB per semi-space: `ofwire proxy --once` at 10k
 * services peaked at 154 MB resident against 180 MB with 16 MB (and 143 MB with 2 MB, whose extra
 * collections cost compile time), measured side by side.
 */
import { findVerb, isSwitchVerb, SWITCH_USAGE } from './switch-options.js';

const COMMANDER_VERBS = new Set(['print', 'encode', 'proxy', 'help']);

async function runCommander(argv: string[], verb: string | undefined): Promise<void> {
  const { Command } = await import('commander');
  const program = new Command('ofwire')
    .description('OpenFlow 1.3 for Open vSwitch: decode, encode and program switches')
    .showHelpAfterError(false)
    .addHelpText('after', SWITCH_USAGE);

  const { registerCodecCommands } = await import('./codec-commands.js');
  const { registerEncodeTextCommands } = await import('./encode-text-commands.js');
  const { registerTextPrintFormat } = await import('./print-text.js');
  registerCodecCommands(program);
  registerTextPrintFormat();
  registerEncodeTextCommands(program);
  // The proxy brings the sources and the proxy itself; print and encode do without.
  if (verb !== 'print' && verb !== 'encode') {
    const { registerProxyCommand } = await import('./proxy-command.js');
    registerProxyCommand(program);
  }

  await program.parseAsync(argv);
}

const verb = findVerb(process.argv.slice(2));
try {
  if (verb !== undefined && (isSwitchVerb(verb) || !COMMANDER_VERBS.has(verb))) {
    const { runSwitchCommand } = await import('./switch-commands.js');
    await runSwitchCommand(process.argv.slice(2));
  } else {
    await runCommander(process.argv, verb);
  }
} catch (err) {
  process.stderr.write(`ofwire: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

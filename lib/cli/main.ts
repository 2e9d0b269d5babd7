#!/usr/bin/env node
/** The `ofwire` command line: each group of verbs registers itself on the program. */
import { Command } from 'commander';
import { registerCodecCommands } from './codec-commands.js';
import { registerEncodeTextCommands } from './encode-text-commands.js';
import { registerTextPrintFormat } from './print-text.js';
import { registerProxyCommand } from './proxy-command.js';

const program = new Command('ofwire')
  .description('OpenFlow 1.3 for Open vSwitch: decode, encode and program switches')
  .showHelpAfterError(false);

registerCodecCommands(program);
registerTextPrintFormat();
registerEncodeTextCommands(program);
registerProxyCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ofwire: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

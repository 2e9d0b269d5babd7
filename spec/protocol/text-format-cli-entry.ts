/**
 * `ofwire` with the text output format registered, for text-format-cli.test.ts: the same program
 * lib/cli/main.ts builds, plus registerTextPrintFormat().
 */
import { Command } from 'commander';
import { registerCodecCommands } from '../../lib/cli/codec-commands.js';
import { registerTextPrintFormat } from '../../lib/cli/print-text.js';

const program = new Command('ofwire').showHelpAfterError(false);
registerTextPrintFormat();
registerCodecCommands(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ofwire: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

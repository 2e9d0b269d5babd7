/**
 * Codec verbs: `print` (bytes → one line per message) and `encode` (messages → hex).
 *
 *   ofwire print --json HEX…     each HEX (or each stdin line with `-`) holds one or more messages;
 *                                prints one JSON object per message per line
 *   ofwire encode --json         reads JSON messages, one per stdin line; prints each one's hex
 *
 * Other output formats for `print` (e.g. ovs-ofctl text) and other input forms for `encode`
 * (e.g. `encode add-flow FLOW`) plug in with registerPrintFormat / registerEncodeForm.
 */
import type { Command } from 'commander';
import { decodeMessages, encodeMessage, messageFromJSON, messageToJSON, type OfpMessage } from '../../protocol/index.js';
import { CliError, action } from './errors.js';
import { parseHex, short, stdinLines } from './input.js';

export type PrintFormat = (m: OfpMessage) => string;
export type EncodeForm = (args: string[]) => OfpMessage[] | Promise<OfpMessage[]>;

const printFormats = new Map<string, PrintFormat>([['json', (m) => JSON.stringify(messageToJSON(m))]]);
let defaultPrintFormat = 'json';
const encodeForms = new Map<string, EncodeForm>();

/** Adds an output format for `print`; `isDefault` makes it what `print` without --json uses. */
export function registerPrintFormat(name: string, format: PrintFormat, isDefault = false): void {
  printFormats.set(name, format);
  if (isDefault) defaultPrintFormat = name;
}

/** Adds an input form for `encode`, e.g. `add-flow`: `ofwire encode add-flow ARGS…`. */
export function registerEncodeForm(name: string, form: EncodeForm): void {
  encodeForms.set(name, form);
}

async function* hexInputs(args: string[]): AsyncGenerator<{ text: string; where: string }> {
  let n = 0;
  for (const a of args) {
    n++;
    if (a === '-') {
      let line = 0;
      for await (const l of stdinLines()) {
        line++;
        if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
        yield { text: l, where: `stdin line ${line}` };
      }
    } else {
      yield { text: a, where: args.length > 1 ? `argument ${n}` : 'argument' };
    }
  }
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function registerCodecCommands(program: Command): void {
  program
    .command('print')
    .description('decode OpenFlow 1.3 messages given as hex (`-` reads one hex string per stdin line)')
    .argument('<hex...>', 'one or more whole messages as hex, or - for stdin')
    .option('--json', 'one JSON object per message per line')
    .action(
      action('print', async (args: string[], opts: { json?: boolean }) => {
        const format = printFormats.get(opts.json ? 'json' : defaultPrintFormat)!;
        for await (const { text, where } of hexInputs(args)) {
          const bytes = parseHex(text, where);
          let msgs: OfpMessage[];
          try {
            msgs = decodeMessages(bytes);
          } catch (err) {
            throw new CliError(`${where}: ${(err as Error).message}`);
          }
          for (const m of msgs) write(format(m));
        }
      }),
    );

  program
    .command('encode')
    .description('encode messages and print each as hex on its own line')
    .argument('[form]', 'an input form such as add-flow (not needed with --json)')
    .argument('[args...]', 'arguments of the input form')
    .option('--json', 'read JSON messages (as `print --json` writes them), one per stdin line')
    .action(
      action('encode', async (form: string | undefined, args: string[], opts: { json?: boolean }) => {
        if (opts.json) {
          if (form !== undefined) throw new CliError(`--json reads stdin and takes no arguments (got "${short(form)}")`);
          let line = 0;
          for await (const l of stdinLines()) {
            line++;
            if (l.trim() === '') continue;
            write(encodeJsonLine(l, `line ${line}`));
          }
          return;
        }
        if (form === undefined) throw new CliError('say what to encode: --json, or an input form');
        const encode = encodeForms.get(form);
        if (!encode) {
          const known = [...encodeForms.keys()];
          throw new CliError(`unknown input form "${short(form)}"${known.length ? ` (known: ${known.join(', ')})` : ''}; use --json`);
        }
        for (const m of await encode(args)) write(encodeMessage(m).toString('hex'));
      }),
    );
}

function encodeJsonLine(text: string, where: string): string {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${where}: not JSON (${(err as Error).message})`);
  }
  try {
    return encodeMessage(messageFromJSON(obj)).toString('hex');
  } catch (err) {
    throw new CliError(`${where}: ${(err as Error).message}`);
  }
}

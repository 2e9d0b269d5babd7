/** Reading CLI input: stdin as lines, hex arguments as bytes. */
import { createInterface } from 'node:readline';
import { CliError } from './errors.js';

/** Yields stdin's lines (without line ends). */
export async function* stdinLines(): AsyncGenerator<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

/** Parses hex written as one run, or with spaces, colons or a leading 0x. */
export function parseHex(text: string, where: string): Buffer {
  const s = text.trim().replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (s.length === 0) throw new CliError(`${where}: no hex digits`);
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new CliError(`${where}: "${short(text)}" is not hex`);
  if (s.length % 2) throw new CliError(`${where}: odd number of hex digits (${s.length})`);
  return Buffer.from(s, 'hex');
}

export function short(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

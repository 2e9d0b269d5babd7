/**
 * `ofwire encode add-flow|mod-flows|del-flows|add-group|mod-group|del-groups|add-flows|add-groups`:
 * the hex printed is what ovs-ofctl sends (vectors from spec/vectors/text), warnings go to stderr,
 * bad input gives one line on stderr and a non-zero exit status.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import t from 'tap';
import { registerCodecCommands } from '../../../lib/cli/codec-commands.js';
import { registerEncodeTextCommands } from '../../../lib/cli/encode-text-commands.js';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';

const DIR = join(VECTORS, 'text');

interface Run {
  out: string[];
  err: string[];
  status: number;
}

async function ofwire(...argv: string[]): Promise<Run> {
  const program = new Command('ofwire').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerCodecCommands(program);
  registerEncodeTextCommands(program);
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = (s: string) => (out.push(...s.split('\n').filter((l) => l)), true);
  process.stderr.write = (s: string) => (err.push(...s.split('\n').filter((l) => l)), true);
  const before = process.exitCode;
  process.exitCode = 0;
  let status: number;
  try {
    await program.parseAsync(['node', 'ofwire', ...argv]);
    status = Number(process.exitCode ?? 0);
  } catch (e) {
    err.push(String((e as Error).message));
    status = 1;
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = before;
  }
  return { out, err, status };
}

const commands = readJsonLines<{ verb: string; options: string[]; input: string; messages: { hex: string }[] }>(
  join(DIR, 'commands.jsonl'),
);

t.test('single-message verbs print the bytes ovs-ofctl sends', async (tt) => {
  for (const r of commands) {
    const args = ['encode', r.verb, ...r.options];
    if (r.input !== '' || !r.verb.startsWith('del')) args.push(r.input);
    const run = await ofwire(...args);
    tt.equal(run.status, 0, `${r.verb} ${r.input}: status`);
    tt.same(
      run.out,
      r.messages.map((m) => m.hex),
      `${r.verb} ${r.options.join(' ')} ${r.input}`,
    );
  }
});

t.test('add-flows and add-groups files, plain and --bundle', async (tt) => {
  const files = readJsonLines<{ verb: string; options: string[]; file: string; messages: { hex: string }[] }>(join(DIR, 'files.jsonl'));
  for (const r of files) {
    const run = await ofwire('encode', r.verb, ...r.options, join(DIR, r.file));
    tt.equal(run.status, 0);
    tt.same(
      run.out,
      r.messages.map((m) => m.hex),
      `${r.verb} ${r.options.join(' ')} ${r.file}`,
    );
  }
});

t.test('warnings go to stderr, the message still to stdout', async (tt) => {
  const run = await ofwire('encode', 'add-flow', 'priority=5,importance=9,actions=output:1');
  tt.equal(run.status, 0);
  tt.equal(run.out.length, 1);
  tt.equal(run.err.length, 1);
  tt.match(run.err[0], /warning: importance/);
});

t.test('bad input: one line on stderr, non-zero status, nothing on stdout', async (tt) => {
  for (const args of [
    ['encode', 'add-flow', 'tcp,tp_dst=foo,actions=drop'],
    ['encode', 'add-group', 'group_id=1,type=bogus'],
    ['encode', 'del-flows', 'ip,actions=drop'],
    ['encode', 'add-flow'],
    ['encode', 'add-group', '--strict', 'group_id=1,type=all'],
  ]) {
    const run = await ofwire(...args);
    tt.not(run.status, 0, args.join(' '));
    tt.same(run.out, []);
    tt.equal(run.err.length, 1, `one line: ${run.err.join(' | ')}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-text-'));
  try {
    const f = join(dir, 'flows.txt');
    writeFileSync(f, 'ip,actions=output:1\nip,actions=output:foo\n');
    const run = await ofwire('encode', 'add-flows', f);
    tt.not(run.status, 0);
    tt.same(run.out, [], 'nothing is printed when a line is bad');
    tt.match(run.err[0], /line 2: "output:foo" \(column 12\): foo: output to unknown port/);
    const missing = await ofwire('encode', 'add-flows', join(dir, 'nope.txt'));
    tt.not(missing.status, 0);
    tt.match(missing.err[0], /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * `ofwire print HEX…` and `ofwire print -` (one hex string per stdin line) print each message as
 * `ovs-ofctl ofp-print HEX` does; `--json` still prints JSON; bad hex is one line on stderr.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import t from 'tap';
import { CLI, ROOT } from '../../helpers/cli.js';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';

function ofwire(args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'latin1',
    timeout: 60_000,
    cwd: ROOT,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const records = readJsonLines<{ name: string; hex: string; text: string; verbosity?: number }>(resolve(VECTORS, 'messages/live.jsonl'))
  .filter((r) => (r.verbosity ?? 2) === 2)
  .slice(0, 40);

t.test('print HEX… prints what ovs-ofctl ofp-print prints', async (t) => {
  const r = ofwire(['print', ...records.map((x) => x.hex)]);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, records.map((x) => x.text).join(''));
});

t.test('print - reads one hex string per line from stdin', async (t) => {
  const input = `${records.map((x) => x.hex).join('\n')}\n\n# a comment\n`;
  const r = ofwire(['print', '-'], input);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, records.map((x) => x.text).join(''));
});

t.test('print --json still prints JSON', async (t) => {
  const r = ofwire(['print', '--json', '0415000800000102']);
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), { type: 'barrier_reply', xid: 258 });
});

t.test('bad input is one line on stderr', async (t) => {
  const r = ofwire(['print', '04ff']);
  t.equal(r.status, 1);
  t.equal(r.stdout, '');
  t.match(r.stderr, /^ofwire[^\n]*\n$/);
});

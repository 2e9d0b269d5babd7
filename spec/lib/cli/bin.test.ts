/** The built `ofwire` command runs as it is, through its first line, with the Node flags it names. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';

const bin = new URL('../../../dist/bin/main.js', import.meta.url).pathname;

t.test('dist/bin/main.js runs through its #! line', async (t) => {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0];
  t.equal(first, '#!/usr/bin/env -S node --max-semi-space-size=4', 'node with a 4 MB young-generation semi-space');
  const r = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /Usage: ofwire/);
});

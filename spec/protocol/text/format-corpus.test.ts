/**
 * The flow and group text corpus (spec/vectors/text, generated with the installed ovs-ofctl):
 * for every text, `ofwire print` of the bytes Open vSwitch sent for it is exactly what
 * `ovs-ofctl ofp-print` printed for those bytes.
 */
import { resolve } from 'node:path';
import t from 'tap';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';
import { assertPrinted } from './format-support.js';

interface CorpusRecord {
  id: string;
  input: string;
  messages: { hex: string; print: string }[];
}

const texts = new Set<string>();
for (const file of ['flows', 'groups', 'commands', 'files']) {
  const records = readJsonLines<CorpusRecord>(resolve(VECTORS, 'text', `${file}.jsonl`));
  t.test(`${file}.jsonl`, async (t) => {
    const counts = { same: 0, refused: 0 };
    for (const r of records) {
      r.messages.forEach((m, i) =>
        assertPrinted(t, `${r.id}${r.messages.length > 1 ? `#${i}` : ''} ${r.input.slice(0, 100)}`, m.hex, m.print, 2, counts),
      );
      if (file === 'flows' || file === 'groups') texts.add(r.input);
    }
    t.comment(`${counts.same} identical, ${counts.refused} refused by both`);
  });
}

t.test('enough distinct flow and group texts', async (t) => {
  t.ok(texts.size >= 300, `${texts.size} distinct flow and group texts`);
});

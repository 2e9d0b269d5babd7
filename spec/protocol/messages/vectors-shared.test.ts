/**
 * Open vSwitch's own OpenFlow 1.3 vectors (its test suite, and what ovs-ofctl 3.1.0 encodes), read
 * from ../shared/vectors when that directory exists: every message decodes, re-encodes to the same
 * bytes, and survives the JSON form; messages Open vSwitch itself refuses to decode raise
 * ProtocolError (or, where the refusal is not about the bytes, still round-trip exactly).
 */
import t from 'tap';
import { readActions, writeActions } from '../../../protocol/actions/codec.js';
import { readInstructions, writeInstructions } from '../../../protocol/actions/instructions.js';
import { ProtocolError, decodeMessage, encodeMessage, messageFromJSON, messageToJSON } from '../../../protocol/index.js';
import { Reader } from '../../../protocol/wire/reader.js';
import { Writer } from '../../../protocol/wire/writer.js';
import { SHARED_MESSAGE_FILES, sharedMissing, sharedVectors } from '../../helpers/vectors.js';
import { ofwireName, ovsName } from './ovs-names.js';

interface Vector {
  file: string;
  name: string;
  hex: string;
  /** What `ovs-ofctl ofp-print` prints for it. */
  text: string;
  /** Open vSwitch refuses it. */
  refused: boolean;
}

interface ActionsVector {
  mode: string;
  hex: string;
  index: number;
  block: string;
  expected_text: string | null;
  expected_error: string | null;
  roundtrip_exact?: boolean;
}

function messageVectors(): Vector[] {
  const out: Vector[] = [];
  for (const file of SHARED_MESSAGE_FILES) {
    for (const r of sharedVectors(file)) {
      const name = String(r.name ?? r.input ?? r.command);
      const refused = String((r.expected as string | undefined) ?? '').includes('decode error');
      if (typeof r.hex === 'string') out.push({ file, name, hex: r.hex, text: String((r.expected as string | undefined) ?? ''), refused });
      for (const [i, m] of ((r.messages as { hex: string; expected?: string }[] | undefined) ?? []).entries()) {
        const text = String(m.expected ?? '');
        out.push({ file, name: `${name} #${i}`, hex: m.hex, text, refused: text.includes('decode error') });
      }
    }
  }
  return out;
}

const missing = sharedMissing();
if (missing) {
  t.test('Open vSwitch vectors', { skip: missing }, async () => {});
} else {
  t.test('messages', async (t) => {
    const vectors = messageVectors();
    t.ok(vectors.length > 150, `found ${vectors.length} message vectors`);
    for (const v of vectors) {
      const bytes = Buffer.from(v.hex, 'hex');
      if (v.refused) {
        t.throws(() => decodeMessage(bytes), ProtocolError, `${v.file}: ${v.name} is refused with ProtocolError`);
        continue;
      }
      let m;
      try {
        m = decodeMessage(bytes);
      } catch (err) {
        t.fail(`${v.file}: ${v.name} does not decode: ${(err as Error).message}`);
        continue;
      }
      const ovs = ovsName(v.text);
      if (ovs) t.same(ofwireName(m), ovs, `${v.file}: ${v.name} is the message Open vSwitch says it is`);
      // The whole message: its bytes, the message they decode back to and its JSON form (what it
      // prints as, against ovs-ofctl's text, is checked by text/format-shared.test.ts).
      const bytes2 = encodeMessage(m);
      t.equal(bytes2.toString('hex'), v.hex, `${v.file}: ${v.name} re-encodes byte-exact`);
      t.strictSame(decodeMessage(bytes2), m, `${v.file}: ${v.name} decodes again to the same message`);
      const json = JSON.parse(JSON.stringify(messageToJSON(m))) as unknown;
      const back = messageFromJSON(json);
      t.strictSame(back, m, `${v.file}: ${v.name} JSON form converts back to the same message`);
      t.equal(encodeMessage(back).toString('hex'), v.hex, `${v.file}: ${v.name} JSON → bytes`);
    }
  });

  t.test('action and instruction lists', { skip: sharedMissing('ovs-of13-actions.jsonl') }, async (t) => {
    for (const r of sharedVectors<ActionsVector>('ovs-of13-actions.jsonl')) {
      const name = `${r.block} #${r.index} (${r.expected_text ?? r.expected_error})`;
      const bytes = Buffer.from(r.hex, 'hex');
      const roundTrip = (): string => {
        const rd = new Reader(bytes);
        const w = new Writer();
        if (r.mode === 'instructions') writeInstructions(w, readInstructions(rd, 'instructions'), 'instructions');
        else writeActions(w, readActions(rd, 'actions'), 'actions');
        return w.copyFrom(0).toString('hex');
      };
      if (r.expected_error) {
        // Open vSwitch refuses these, often for reasons beyond the bytes (ports, prerequisites).
        try {
          t.equal(roundTrip(), r.hex, `${name}: decodes and re-encodes byte-exact`);
        } catch (err) {
          t.type(err, ProtocolError, `${name}: refused with ProtocolError`);
        }
        continue;
      }
      // Open vSwitch accepts some lists with non-zero padding and rewrites it when re-encoding (so they
      // do not round-trip in OVS either); ofwire refuses non-zero padding.
      const padOnly = r.roundtrip_exact === false;
      try {
        t.equal(roundTrip(), r.hex, `${name}: re-encodes byte-exact`);
      } catch (err) {
        t.ok(padOnly && err instanceof ProtocolError && /padding/.test(err.message), `${name}: refused: ${(err as Error).message}`);
      }
    }
  });
}

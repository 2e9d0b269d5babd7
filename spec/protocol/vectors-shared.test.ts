/**
 * Open vSwitch's own OpenFlow 1.3 vectors (its test suite, and what ovs-ofctl 3.1.0 encodes), read
 * from ../shared/vectors when that directory exists: every message decodes, re-encodes to the same
 * bytes, and survives the JSON form; messages Open vSwitch itself refuses to decode raise
 * ProtocolError (or, where the refusal is not about the bytes, still round-trip exactly).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import { readActions, writeActions } from '../../protocol/actions/codec.js';
import { readInstructions, writeInstructions } from '../../protocol/actions/instructions.js';
import {
  ProtocolError,
  Reader,
  Writer,
  decodeMessage,
  encodeMessage,
  messageFromJSON,
  messageToJSON,
} from '../../protocol/index.js';
import { ofwireName, ovsName } from './ovs-names.js';

const dir = resolve(import.meta.dirname, '../../../shared/vectors');

interface Vector {
  file: string;
  name: string;
  hex: string;
  /** What `ovs-ofctl ofp-print` prints for it. */
  text: string;
  /** Open vSwitch refuses it. */
  refused: boolean;
}

function messageVectors(): Vector[] {
  const out: Vector[] = [];
  for (const file of ['ovs-of13.jsonl', 'ovs-of13-derived.jsonl', 'ovs-of13-generated.jsonl']) {
    const path = resolve(dir, file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      const name = String(r.name ?? r.input ?? r.command);
      const refused = String(r.expected ?? '').includes('decode error');
      if (typeof r.hex === 'string') out.push({ file, name, hex: r.hex, text: String(r.expected ?? ''), refused });
      for (const [i, m] of ((r.messages as { hex: string; expected?: string }[] | undefined) ?? []).entries()) {
        const text = String(m.expected ?? '');
        out.push({ file, name: `${name} #${i}`, hex: m.hex, text, refused: text.includes('decode error') });
      }
    }
  }
  return out;
}

if (!existsSync(dir)) {
  t.test('Open vSwitch vectors', { skip: '../shared/vectors is not present' }, async () => {});
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
      t.equal(encodeMessage(m).toString('hex'), v.hex, `${v.file}: ${v.name} re-encodes byte-exact`);
      const json = JSON.parse(JSON.stringify(messageToJSON(m))) as unknown;
      t.equal(encodeMessage(messageFromJSON(json)).toString('hex'), v.hex, `${v.file}: ${v.name} JSON → bytes`);
    }
  });

  t.test('action and instruction lists', async (t) => {
    const path = resolve(dir, 'ovs-of13-actions.jsonl');
    if (!existsSync(path)) return t.pass('no ovs-of13-actions.jsonl in ../shared/vectors');
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as {
        mode: string;
        hex: string;
        index: number;
        block: string;
        expected_text: string | null;
        expected_error: string | null;
        roundtrip_exact?: boolean;
        expected_reencode_diffs?: string[];
      };
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
        if (padOnly && err instanceof ProtocolError && /padding/.test(err.message)) {
          t.pass(`${name}: non-zero padding refused (${err.message})`);
        } else {
          t.fail(`${name}: ${(err as Error).message}`);
        }
      }
    }
  });
}

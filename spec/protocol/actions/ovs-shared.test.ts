/**
 * The action and instruction lists of Open vSwitch's own tests (../shared/vectors/ovs-of13-actions.jsonl,
 * read when present). Every list OVS decodes is decoded and re-encoded byte for byte, except the
 * few where OVS ignores non-zero padding, which ofwire rejects. Lists OVS rejects are rejected with a
 * ProtocolError when the fault is in the encoding; where OVS objects to the meaning (a value out
 * of range, an action not allowed in that place, a subtype OVS 3.1 does not know), ofwire decodes
 * them (unknown subtypes as `unknown` actions) and re-encodes them exactly.
 */
import t from 'tap';
import type { Action, Instruction } from '../../../protocol/actions/index.js';
import { sharedMissing, sharedVectors } from '../../helpers/vectors.js';
import { decodeActions, decodeInstructions, encodeActions, encodeInstructions, protocolErrorOf, show } from './support.js';

interface Record_ {
  block: string;
  index: number;
  mode: 'actions' | 'instructions';
  hex: string;
  expected_text: string | null;
  expected_error: string | null;
  roundtrip_exact: boolean;
}

const missing = sharedMissing('ovs-of13-actions.jsonl');

const OF10 = 'OpenFlow 1.0 action translation';
const OF10I = 'OpenFlow 1.0 "instruction" translations';
const OF11 = 'OpenFlow 1.1 action translation';
const OF11I = 'OpenFlow 1.1 instruction translation';
const OF13 = 'OpenFlow 1.3 action translation';
const OF15 = 'OpenFlow 1.5 action translation';

/** Lists OVS accepts although a padding byte is not zero; ofwire rejects them. */
const nonZeroPadding: Record<string, string> = {
  [`${OF10}#8`]: 'OFPAT_SET_NW_TOS with 3 non-zero pad bytes',
  [`${OF11I}#1`]: 'apply_actions instruction with non-zero pad',
  [`${OF11I}#6`]: 'goto_table instruction with non-zero pad',
  [`${OF11I}#16`]: 'write_actions instruction with non-zero pad',
  [`${OF11I}#19`]: 'clear_actions instruction with non-zero pad',
  [`${OF11I}#20`]: 'clear_actions instruction with non-zero pad',
  [`${OF13}#6`]: 'encap NSH md_type property with non-zero pad',
};

/** Lists OVS rejects for what they mean, not how they are encoded; ofwire decodes them. */
const semanticRejections: Record<string, string> = {
  [`${OF10}#9`]: 'set_nw_ecn value 0x30 out of range',
  [`${OF10}#15`]: 'NXAST subtype 4 (OpenFlow 1.0 only) kept as unknown',
  [`${OF10}#22`]: 'NXAST_WRITE_METADATA outside an instruction list',
  [`${OF10}#23`]: 'NXAST_WRITE_METADATA outside an instruction list',
  [`${OF10}#32`]: 'NXAST subtype 18 (OpenFlow 1.0 only) kept as unknown',
  [`${OF10}#40`]: 'NXAST subtype 51 (unknown to OVS 3.1) kept as unknown',
  [`${OF10}#42`]: 'output to an invalid port',
  [`${OF10}#48`]: 'ct force without commit',
  [`${OF10}#52`]: 'ct zone taken from 8 bits',
  [`${OF10}#53`]: 'ct zone taken from 32 bits',
  [`${OF10}#57`]: 'reg_load of ct_mark outside ct',
  [`${OF10}#58`]: 'reg_load of ct_zone, which is read-only',
  [`${OF10}#59`]: 'ct nested in ct',
  [`${OF10}#60`]: 'reg_load of reg0 inside ct',
  [`${OF10}#79`]: 'NXAST subtype 40 (OpenFlow 1.0 only) kept as unknown',
  [`${OF10}#82`]: 'nat range maximum below its minimum',
  [`${OF10I}#2`]: 'experimenter instruction',
  [`${OF10I}#3`]: 'experimenter instruction',
  [`${OF11}#23`]: 'NXAST_WRITE_METADATA outside an instruction list',
  [`${OF11}#37`]: 'NXAST subtype 51 (unknown to OVS 3.1) kept as unknown',
  [`${OF11}#38`]: 'output to OFPP_ANY',
  [`${OF11I}#3`]: 'two apply_actions instructions',
  [`${OF11I}#7`]: 'goto_table to an earlier table',
  [`${OF11I}#14`]: 'two write_metadata instructions',
  [`${OF11I}#22`]: 'experimenter instruction',
  [`${OF13}#3`]: 'set_field of a field OVS does not know, kept as field "unknown"',
  [`${OF15}#1`]: 'action type 28 (OpenFlow 1.5 copy_field) kept as unknown',
  [`${OF15}#3`]: 'action type 29 (OpenFlow 1.5 meter) kept as unknown',
};

/** Typed decodes of records whose variant only appears here. */
const typed: Record<string, Action[] | Instruction[]> = {
  [`${OF10}#13`]: [{ type: 'resubmit', inPort: 5 }],
  [`${OF10}#14`]: [{ type: 'set_tunnel', tunId: 0x12345678 }],
  [`${OF10}#20`]: [{ type: 'set_tunnel64', tunId: 0xc426384d49c53d60n }],
  [`${OF10}#2`]: [{ type: 'set_vlan_vid', vlanVid: 9 }],
  [`${OF11}#4`]: [{ type: 'set_dl_src', mac: '00:11:22:33:44:55' }],
  [`${OF11}#6`]: [{ type: 'set_nw_src', ip: '1.2.3.4' }],
  [`${OF11}#9`]: [{ type: 'set_nw_ecn', ecn: 2 }],
  [`${OF11}#10`]: [{ type: 'set_tp_src', port: 80 }],
  [`${OF11}#23`]: [{ type: 'write_metadata', metadata: 0xfedcba9876543210n, mask: 0xffffffffffffffffn }],
  [`${OF10}#15`]: [{ type: 'unknown', actionType: 0xffff, data: Buffer.from('000023200004000089abcd01', 'hex') }],
  [`${OF10}#35`]: [
    { type: 'controller2', maxLen: 1234, controllerId: 5678, reason: 2, userdata: Buffer.from('0102030405', 'hex'), pause: true },
  ],
  [`${OF13}#2`]: [
    {
      type: 'copy_field',
      src: { field: 'in_port', header: 0x00000002, ofs: 0, nBits: 16 },
      dst: { field: 'vlan_tci', ofs: 0, nBits: 16 },
    },
  ],
  [`${OF13}#7`]: [{ type: 'encap', hdrSize: 0, packetType: 0x18847, properties: [] }],
  [`${OF11I}#9`]: [{ type: 'write_metadata', metadata: 0xfedcba9876543210n, metadataMask: 0xffffffffffffffffn }],
};

if (missing) {
  t.plan(0, missing);
} else {
  const records = sharedVectors<Record_>('ovs-of13-actions.jsonl');

  t.test('the expectation tables name existing records', async (t) => {
    const keys = new Set(records.map((r) => `${r.block}#${r.index}`));
    for (const k of [...Object.keys(nonZeroPadding), ...Object.keys(semanticRejections), ...Object.keys(typed)]) {
      t.ok(keys.has(k), k);
    }
  });

  for (const r of records) {
    const key = `${r.block}#${r.index}`;
    const label = `${key} ${r.expected_text ?? r.expected_error}: ${r.hex}`;
    t.test(label, async (t) => {
      const bytes = Buffer.from(r.hex, 'hex');
      const decode = () => (r.mode === 'actions' ? decodeActions(bytes) : decodeInstructions(bytes));
      const encode = (list: unknown) =>
        r.mode === 'actions' ? encodeActions(list as Action[]) : encodeInstructions(list as Instruction[]);

      const padding = nonZeroPadding[key];
      const decodeExpected = r.expected_error === null ? !padding : semanticRejections[key] !== undefined;
      if (!decodeExpected) {
        const err = protocolErrorOf(decode);
        t.ok(err, `rejected with a ProtocolError (${padding ?? r.expected_error})`);
        if (err) {
          t.ok(err.offset >= 0 && err.offset < bytes.length, `offset ${err.offset} lies in the input`);
          t.ok(err.structure.length > 0, `names the structure (${err.structure})`);
          if (padding) t.match(err.reason, /non-zero padding/);
        }
        return;
      }
      const list = decode();
      t.equal(encode(list).toString('hex'), r.hex, `re-encodes exactly (${semanticRejections[key] ?? 'accepted by OVS'})`);
      const want = typed[key];
      if (want) t.strictSame(list, want, show(list));
    });
  }
}

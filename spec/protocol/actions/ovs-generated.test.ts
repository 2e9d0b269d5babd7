/**
 * Flow and group messages encoded by ovs-ofctl 3.1.0 (spec/vectors/actions/ovs-ofctl-3.1.0.jsonl,
 * made by spec/vectors/actions/generate.ts): each decodes with decodeMessage and re-encodes to the
 * same bytes; a representative subset is also checked against the typed objects.
 */
import t from 'tap';
import type { Action, Instruction } from '../../../protocol/actions/index.js';
import { decodeMessage, encodeMessage, type OfpMessage } from '../../../protocol/index.js';
import { ownVectors } from '../../helpers/vectors.js';
import { show } from './support.js';

interface Vector {
  name: string;
  kind: 'flow' | 'group';
  input: string;
  hex: string;
  ovs_text?: string;
  ovs_error?: string;
}

const vectors = ownVectors<Vector>('actions/ovs-ofctl-3.1.0.jsonl');

/** The instructions of a flow_mod, or the bucket action lists of a group_mod. */
function listsOf(m: OfpMessage): Instruction[] | Action[][] {
  if (m.type === 'flow_mod') return m.instructions;
  if (m.type === 'group_mod') return m.buckets.map((b) => b.actions);
  throw new Error(`unexpected ${m.type}`);
}

function applied(...actions: Action[]): Instruction[] {
  return [{ type: 'apply_actions', actions }];
}

const reg = (n: number, ofs: number, nBits: number) => ({ field: `reg${n}`, ofs, nBits });

/** Expected decodes, by vector name. */
const typed: Record<string, Instruction[] | Action[][]> = {
  output: applied(
    { type: 'output', port: 1, maxLen: 0 },
    { type: 'output', port: 65279, maxLen: 0 },
    { type: 'output', port: 0xfffffff8, maxLen: 0 },
    { type: 'output', port: 0xfffffffe, maxLen: 0 },
    { type: 'output', port: 0xfffffffa, maxLen: 0 },
    { type: 'output', port: 0xfffffffb, maxLen: 0 },
    { type: 'output', port: 0xfffffffc, maxLen: 0 },
    { type: 'output', port: 0xfffffff9, maxLen: 0 },
  ),
  output_controller: applied({ type: 'output', port: 0xfffffffd, maxLen: 128 }, { type: 'output', port: 0xfffffffd, maxLen: 0xffff }),
  push_pop_vlan: applied({ type: 'push_vlan', ethertype: 0x8100 }, { type: 'push_vlan', ethertype: 0x88a8 }, { type: 'pop_vlan' }),
  pop_mpls: applied({ type: 'pop_mpls', ethertype: 0x0800 }),
  set_mpls_ttl: applied({ type: 'set_mpls_ttl', ttl: 10 }, { type: 'dec_mpls_ttl' }),
  dec_ttl: applied({ type: 'dec_nw_ttl' }),
  set_nw_ttl: applied({ type: 'set_nw_ttl', ttl: 5 }),
  set_field_ipv4: applied(
    { type: 'set_field', field: 'ipv4_dst', value: '10.0.0.1' },
    { type: 'set_field', field: 'ipv4_src', value: '192.168.1.1' },
  ),
  set_field_eth: applied(
    { type: 'set_field', field: 'eth_src', value: 'aa:bb:cc:dd:ee:ff' },
    { type: 'set_field', field: 'eth_dst', value: '01:02:03:04:05:06' },
  ),
  set_field_ipv6: applied({ type: 'set_field', field: 'ipv6_dst', value: 'fd00::1' }),
  set_field_nxm_reg: applied(
    { type: 'set_field', field: 'reg1', value: 5 },
    { type: 'set_field', field: 'xreg0', value: 0xfedcba9876543210n },
  ),
  set_field_tun_id: applied(
    { type: 'set_field', field: 'tun_id', value: 0x10n },
    { type: 'set_field', field: 'tun_id', value: 0x123456789n },
    { type: 'set_field', field: 'tun_id', value: 0x1234n },
  ),
  reg_load: applied(
    { type: 'reg_load', dst: reg(0, 0, 4), value: 1n },
    { type: 'reg_load', dst: reg(1, 0, 32), value: 0xffffffffn },
    { type: 'reg_load', dst: reg(2, 8, 8), value: 5n },
  ),
  reg_load_masked_set_field: applied(
    { type: 'reg_load', dst: reg(1, 0, 8), value: 5n },
    { type: 'reg_load', dst: reg(2, 4, 4), value: 0n },
    { type: 'reg_load', dst: reg(2, 12, 4), value: 0n },
  ),
  reg_load_eth: applied({ type: 'reg_load', dst: { field: 'eth_dst', ofs: 0, nBits: 48 }, value: 0x010203040506n }),
  reg_move: applied(
    { type: 'reg_move', src: reg(0, 0, 16), dst: reg(1, 16, 16) },
    { type: 'reg_move', src: reg(2, 0, 32), dst: reg(3, 0, 32) },
  ),
  reg_move_eth: applied(
    { type: 'reg_move', src: { field: 'eth_src', ofs: 0, nBits: 48 }, dst: { field: 'eth_dst', ofs: 0, nBits: 48 } },
    { type: 'reg_move', src: { field: 'in_port', ofs: 0, nBits: 16 }, dst: reg(0, 0, 16) },
  ),
  resubmit: applied(
    { type: 'resubmit_table', inPort: 3, tableId: 255 },
    { type: 'resubmit_table', inPort: 0xfff8, tableId: 5 },
    { type: 'resubmit_table', inPort: 1, tableId: 5 },
    { type: 'resubmit_table', inPort: 0xfff8, tableId: 7 },
  ),
  resubmit_ct: applied({ type: 'resubmit_table_ct', inPort: 0xfff8, tableId: 5 }, { type: 'resubmit_table_ct', inPort: 2, tableId: 6 }),
  controller: applied(
    { type: 'controller', maxLen: 100, controllerId: 5, reason: 0 },
    { type: 'controller', maxLen: 0xffff, controllerId: 0, reason: 2 },
  ),
  controller2_userdata: applied({ type: 'controller2', userdata: Buffer.from([1, 2, 3]), pause: true }),
  controller2_meter: applied(
    { type: 'controller2', meterId: 5 },
    { type: 'controller2', maxLen: 100, controllerId: 3, reason: 0, meterId: 1 },
  ),
  note: applied(
    { type: 'note', note: Buffer.from('010203040506', 'hex') },
    { type: 'note', note: Buffer.from('aa0000000000', 'hex') },
    { type: 'note', note: Buffer.from('0011223344556677889900000000', 'hex') },
  ),
  fin_timeout: applied(
    { type: 'fin_timeout', finIdleTimeout: 10, finHardTimeout: 20 },
    { type: 'fin_timeout', finIdleTimeout: 0, finHardTimeout: 5 },
  ),
  dec_ttl_cnt_ids: applied(
    { type: 'dec_ttl_cnt_ids', controllerIds: [1] },
    { type: 'dec_ttl_cnt_ids', controllerIds: [1, 2, 3] },
    { type: 'dec_ttl_cnt_ids', controllerIds: [4, 5, 6, 7, 8] },
  ),
  output_reg: applied(
    { type: 'output_reg', src: reg(1, 5, 6), maxLen: 0xffff },
    { type: 'output_reg', src: reg(0, 0, 32), maxLen: 0xffff },
  ),
  output_reg2: applied({ type: 'output_reg2', src: { field: 'nsh_c1', ofs: 0, nBits: 16 }, maxLen: 0xffff }),
  output_trunc: applied({ type: 'output_trunc', port: 1, maxLen: 100 }, { type: 'output_trunc', port: 0xfffe, maxLen: 1500 }),
  stack: applied(
    { type: 'stack_push', field: reg(0, 0, 32) },
    { type: 'stack_push', field: reg(1, 8, 8) },
    { type: 'stack_pop', field: reg(1, 0, 16) },
  ),
  sample: applied({ type: 'sample', probability: 1000, collectorSetId: 1, obsDomainId: 2, obsPointId: 3 }),
  sample2: applied({ type: 'sample2', probability: 65535, collectorSetId: 4, obsDomainId: 5, obsPointId: 6, samplingPort: 7 }),
  sample3: applied(
    { type: 'sample3', probability: 1, collectorSetId: 1, obsDomainId: 2, obsPointId: 3, samplingPort: 5, direction: 1 },
    { type: 'sample3', probability: 2, collectorSetId: 1, obsDomainId: 2, obsPointId: 3, samplingPort: 0xffff, direction: 2 },
  ),
  conjunction: applied({ type: 'conjunction', id: 1, clause: 1, nClauses: 3 }),
  multipath_hrw: applied({ type: 'multipath', fields: 1, basis: 1024, algorithm: 2, maxLink: 11, arg: 0, dst: reg(0, 0, 4) }),
  bundle: applied({ type: 'bundle', algorithm: 1, fields: 0, basis: 0, memberType: 2, members: [4, 8] }),
  bundle_load: applied({ type: 'bundle_load', algorithm: 1, fields: 0, basis: 0, memberType: 2, members: [4, 8], dst: reg(0, 0, 32) }),
  check_pkt_larger: applied(
    { type: 'check_pkt_larger', pktLen: 1500, dst: reg(0, 0, 1) },
    { type: 'check_pkt_larger', pktLen: 9000, dst: reg(1, 31, 1) },
  ),
  delete_field: applied({ type: 'delete_field', field: 'tun_metadata0' }, { type: 'delete_field', field: 'tun_metadata10' }),
  dec_nsh_ttl: applied({ type: 'dec_nsh_ttl' }),
  encap_nsh_tlv: applied({
    type: 'encap',
    hdrSize: 0,
    packetType: 0x1894f,
    properties: [
      { type: 'nsh_md_type', mdType: 2 },
      { type: 'nsh_tlv', tlvClass: 0x1000, tlvType: 10, value: Buffer.from('12345678', 'hex') },
      { type: 'nsh_tlv', tlvClass: 0x2000, tlvType: 20, value: Buffer.from([1]) },
    ],
  }),
  decap: applied({ type: 'decap', packetType: 0xfffe }, { type: 'decap', packetType: 0x10800 }),
  debug: applied({ type: 'debug_recirc' }, { type: 'debug_slow' }),
  clone_nested: applied(
    {
      type: 'clone',
      actions: [
        { type: 'set_field', field: 'reg0', value: 1 },
        {
          type: 'clone',
          actions: [
            { type: 'output', port: 2, maxLen: 0 },
            { type: 'ct', flags: 1, zone: 0, recircTable: 255, alg: 0, actions: [] },
          ],
        },
        { type: 'output', port: 1, maxLen: 0 },
      ],
    },
    { type: 'output', port: 3, maxLen: 0 },
  ),
  ct_zone_field: applied(
    { type: 'ct', flags: 0, zone: 0, zoneSrc: reg(0, 0, 16), recircTable: 1, alg: 0, actions: [] },
    { type: 'ct', flags: 1, zone: 0, zoneSrc: reg(4, 16, 16), recircTable: 255, alg: 0, actions: [] },
  ),
  ct_exec_label: applied({
    type: 'ct',
    flags: 1,
    zone: 0,
    recircTable: 255,
    alg: 0,
    actions: [
      { type: 'reg_load', dst: { field: 'ct_label', ofs: 0, nBits: 1 }, value: 1n },
      { type: 'reg_load', dst: { field: 'ct_mark', ofs: 0, nBits: 8 }, value: 5n },
    ],
  }),
  ct_nat_src: applied({
    type: 'ct',
    flags: 1,
    zone: 0,
    recircTable: 255,
    alg: 0,
    actions: [{ type: 'nat', flags: 17, ipMin: '10.0.0.1', ipMax: '10.0.0.10', portMin: 1000, portMax: 2000 }],
  }),
  ct_nat_ipv6: applied({
    type: 'ct',
    flags: 1,
    zone: 0,
    recircTable: 255,
    alg: 0,
    actions: [{ type: 'nat', flags: 17, ipMin: 'fd00::1', ipMax: 'fd00::ff', portMin: 255, portMax: 4096 }],
  }),
  ct_nat_and_mark: applied(
    {
      type: 'ct',
      flags: 1,
      zone: 7,
      recircTable: 255,
      alg: 0,
      actions: [
        { type: 'set_field', field: 'ct_mark', value: 2 },
        { type: 'nat', flags: 1, ipMin: '192.168.0.1' },
      ],
    },
    { type: 'output', port: 1, maxLen: 0 },
  ),
  learn: applied({
    type: 'learn',
    idleTimeout: 0,
    hardTimeout: 60,
    priority: 32768,
    cookie: 0n,
    flags: 0,
    tableId: 1,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    specs: [
      { kind: 'match_field', src: { field: 'vlan_tci', ofs: 0, nBits: 12 }, dst: { field: 'vlan_tci', ofs: 0, nBits: 12 } },
      { kind: 'match_field', src: { field: 'eth_src', ofs: 0, nBits: 48 }, dst: { field: 'eth_dst', ofs: 0, nBits: 48 } },
      { kind: 'output', src: { field: 'in_port', ofs: 0, nBits: 16 } },
    ],
  }),
  learn2_result: applied({
    type: 'learn2',
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 32768,
    cookie: 0n,
    flags: 4,
    tableId: 1,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    limit: 10,
    resultDst: reg(0, 1, 1),
    specs: [
      { kind: 'match_immediate', value: Buffer.from('0800', 'hex'), dst: { field: 'eth_type', ofs: 0, nBits: 16 } },
      { kind: 'match_immediate', value: Buffer.from('0a000001', 'hex'), dst: { field: 'ipv4_src', ofs: 0, nBits: 32 } },
      { kind: 'load_immediate', value: Buffer.from('0005', 'hex'), dst: reg(1, 0, 8) },
    ],
  }),
  instructions_all: [
    { type: 'meter', meterId: 2 },
    { type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] },
    { type: 'clear_actions' },
    { type: 'write_actions', actions: [{ type: 'set_field', field: 'reg0', value: 1 }] },
    { type: 'write_metadata', metadata: 0xfedcba9876543210n, metadataMask: 0xffffffffffffffffn },
    { type: 'goto_table', tableId: 9 },
  ],
  instructions_empty: [],
  group_select_ct_nat: ['10.244.1.5', '10.244.2.7'].map((ip): Action[] => [
    { type: 'ct', flags: 1, zone: 65520, recircTable: 20, alg: 0, actions: [{ type: 'nat', flags: 2, ipMin: ip, portMin: 8080 }] },
  ]),
};

t.test('vectors file', async (t) => {
  t.ok(vectors.length >= 100, `${vectors.length} vectors`);
  const names = new Set(vectors.map((v) => v.name));
  for (const name of Object.keys(typed)) t.ok(names.has(name), `typed expectation "${name}" has a vector`);
});

for (const v of vectors) {
  t.test(`${v.name}: ${v.input}`, async (t) => {
    const bytes = Buffer.from(v.hex, 'hex');
    const m = decodeMessage(bytes);
    t.equal(encodeMessage(m).toString('hex'), v.hex, 're-encodes to the bytes ovs-ofctl wrote');
    const want = typed[v.name];
    if (want) t.strictSame(listsOf(m), want, show(listsOf(m)));
  });
}

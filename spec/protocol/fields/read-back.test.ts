/**
 * emitOf13's `copied` and copiesMeetPrerequisites: when they say a match's entries restore their
 * slots as they are, reading the match back gives the same answer as judging the flow it came
 * from, so the text parser need not read it back. And what the parser reports for a flow whose
 * fields are dropped or refused, either way.
 */
import fc from 'fast-check';
import t from 'tap';
import { emitOf13 } from '../../../protocol/fields/canonical.js';
import { FlowMatch, SLOT_BITS, applyField, flowOf } from '../../../protocol/fields/flow.js';
import { checkPrerequisites, copiesMeetPrerequisites } from '../../../protocol/fields/prereq.js';
import type { OxmField } from '../../../protocol/fields/types.js';
import { parseFlow, type ParseWarning } from '../../../protocol/text/index.js';

const POOL: OxmField[] = [
  { field: 'eth_type', value: 0x800 },
  { field: 'eth_type', value: 0x86dd },
  { field: 'eth_type', value: 0x806 },
  { field: 'eth_type', value: 0x8847 },
  { field: 'ip_proto', value: 6 },
  { field: 'ip_proto', value: 17 },
  { field: 'ip_proto', value: 1 },
  { field: 'ip_proto', value: 58 },
  { field: 'ip_frag', value: 3 },
  { field: 'ip_frag', value: 1, mask: 1 },
  { field: 'ipv4_dst', value: '10.96.0.10' },
  { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' },
  { field: 'ipv6_dst', value: 'fd00::1' },
  { field: 'tcp_dst', value: 80 },
  { field: 'tp_src', value: 0x100, mask: 0xff00 },
  { field: 'tp_dst', value: 0 },
  { field: 'udp_src', value: 53 },
  { field: 'icmp_type', value: 8 },
  { field: 'icmpv6_type', value: 135 },
  { field: 'icmpv6_code', value: 0 },
  { field: 'nd_target', value: 'fe80::1' },
  { field: 'nd_sll', value: '00:11:22:33:44:55' },
  { field: 'tcp_flags', value: 2, mask: 2 },
  { field: 'nw_tos', value: 4 },
  { field: 'nw_ttl', value: 5 },
  { field: 'ipv6_label', value: 5 },
  { field: 'arp_op', value: 1 },
  { field: 'arp_spa', value: '1.1.1.1' },
  { field: 'dl_vlan', value: 5 },
  { field: 'vlan_tci', value: 0 },
  { field: 'vlan_pcp', value: 3 },
  { field: 'mpls_label', value: 5 },
  { field: 'ct_state', value: 0x21, mask: 0x21 },
  { field: 'ct_state', value: 0x20, mask: 0x30 },
  { field: 'ct_state', value: 0x20, mask: 0x20 },
  { field: 'ct_nw_dst', value: '10.96.0.1' },
  { field: 'ct_nw_proto', value: 6 },
  { field: 'ct_tp_dst', value: 80 },
  { field: 'ct_mark', value: 1 },
  { field: 'in_port', value: 1 },
  { field: 'in_port', value: 0xfffffffe },
  { field: 'metadata', value: 5n, mask: 0xffn },
  { field: 'reg0', value: 5 },
  { field: 'xreg1', value: 7n },
  { field: 'tun_id', value: 5n },
  { field: 'pkt_mark', value: 3 },
  { field: 'packet_type', value: 0 },
  { field: 'packet_type', value: 0x10800 },
  { field: 'nsh_spi', value: 5 },
];

function flowOfEntries(entries: readonly OxmField[]): FlowMatch {
  const f = new FlowMatch();
  for (const e of entries) applyField(f, e);
  return f;
}

t.test('entries that restore their slots read back as the flow on those slots', async (t) => {
  let judged = 0;
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...POOL), { maxLength: 7 }), (entries) => {
      const f = flowOfEntries(entries);
      const copied: (string | null)[] = [];
      const out = emitOf13(f, undefined, copied);
      t.same(out, emitOf13(f), 'the same entries with or without copied');
      t.equal(copied.length, out.length, 'one slot or null per entry');
      if (!copiesMeetPrerequisites(f, out, copied)) return;
      judged++;
      t.equal(checkPrerequisites(out), null, 'prerequisites met in order');
      const back = flowOf(out);
      const differ = Object.keys(SLOT_BITS).filter((slot) => {
        const a = copied.includes(slot) ? f.get(slot) : { v: 0n, m: 0n };
        const b = back.get(slot);
        return a.v !== b.v || a.m !== b.m;
      });
      t.same(differ, [], 'read back: the copied slots as they are, the others empty');
    }),
    { numRuns: 400 },
  );
  t.ok(judged > 50, `judged without reading back: ${judged} of 400`);
});

t.test('what copiesMeetPrerequisites leaves to reading back', async (t) => {
  const judge = (entries: OxmField[]) => {
    const f = flowOfEntries(entries);
    const copied: (string | null)[] = [];
    const out = emitOf13(f, undefined, copied);
    return { copied, ok: copiesMeetPrerequisites(f, out, copied) };
  };
  const proxy = judge([
    { field: 'ct_state', value: 0x21, mask: 0x21 },
    { field: 'eth_type', value: 0x800 },
    { field: 'ip_proto', value: 6 },
    { field: 'ipv4_dst', value: '10.96.0.10' },
    { field: 'tcp_dst', value: 80 },
  ]);
  t.same(proxy, { copied: ['dl_type', 'nw_dst', 'nw_proto', 'tp_dst', 'ct_state'], ok: true });
  t.same(judge([]), { copied: [], ok: true }, 'nothing');
  t.same(judge([{ field: 'packet_type', value: 0 }]), { copied: ['packet_type'], ok: true }, 'the Ethernet packet_type alone');
  t.equal(judge([{ field: 'ct_nw_dst', value: '10.96.0.1' }]).ok, false, 'ct_nw_dst without ct_state');
  t.equal(
    judge([
      { field: 'ct_state', value: 0x20, mask: 0x20 },
      { field: 'ct_nw_dst', value: '10.96.0.1' },
    ]).ok,
    false,
    'ct_nw_dst with a ct_state that does not imply a connection',
  );
  const later = judge([
    { field: 'eth_type', value: 0x800 },
    { field: 'ip_proto', value: 6 },
    { field: 'ip_frag', value: 3 },
    { field: 'tcp_dst', value: 80 },
  ]);
  t.equal(later.ok, false, 'ip_frag is not copied whole');
  t.same(later.copied, ['dl_type', null, 'nw_proto', 'tp_dst']);
  const icmp = judge([
    { field: 'eth_type', value: 0x800 },
    { field: 'ip_proto', value: 1 },
    { field: 'icmp_type', value: 8 },
  ]);
  t.same(icmp, { copied: ['dl_type', 'nw_proto', null], ok: false }, 'icmp_type is a part of its slot');
  const masked = judge([{ field: 'ct_state', value: 0xff, mask: 0xff }]);
  t.same(masked, { copied: ['ct_state'], ok: true }, 'ct_state exact: masked with 0xff in its 32-bit encoding');
});

t.test('dropped and refused fields, as the parser reports them', async (t) => {
  const parse = (text: string) => {
    const warnings: ParseWarning[] = [];
    const { match } = parseFlow(text, { warnings });
    return { match, warnings: warnings.map((w) => w.message) };
  };
  const drop = (names: string) =>
    `${names} dropped from the match: OpenFlow 1.3 cannot carry ${names.includes(',') ? 'them' : 'it'} without ${names.includes(',') ? 'their' : 'its'} prerequisites (as ovs-ofctl does)`;
  t.same(parse('table=10,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=group:1'), {
    match: [
      { field: 'eth_type', value: 0x800 },
      { field: 'ipv4_dst', value: '10.96.0.10' },
      { field: 'ip_proto', value: 6 },
      { field: 'tcp_dst', value: 80 },
      { field: 'ct_state', value: 0x21, mask: 0x21 },
    ],
    warnings: [],
  });
  t.same(parse('priority=5,actions=drop'), { match: [], warnings: [] });
  t.same(parse('eth,reg0=5,actions=drop'), {
    match: [
      { field: 'packet_type', value: 0 },
      { field: 'reg0', value: 5 },
    ],
    warnings: [],
  });
  t.same(parse('ip,tp_dst=80,actions=drop'), { match: [{ field: 'eth_type', value: 0x800 }], warnings: [drop('tcp_dst')] });
  t.same(parse('nw_src=10.0.0.0/8,actions=drop'), { match: [{ field: 'packet_type', value: 0 }], warnings: [drop('ipv4_src')] });
  t.same(parse('arp,nw_frag=later,actions=drop').warnings, [drop('ip_frag')]);
  t.same(parse('ip,tcp_dst=80,udp_src=53,arp,actions=drop').warnings, [drop('tcp_dst, udp_src')]);
  t.same(parse('dl_vlan=5,vlan_tci=0,actions=drop').warnings, [], 'an untagged match read back as one');
  t.throws(() => parse('ct_state=+trk,ct_nw_dst=10.96.0.1,actions=drop'), {
    message: /ct_nw_dst requires ct_state matching a tracked connection .* \(ovs-ofctl sends this match but the switch refuses it\)/,
  });
  t.throws(() => parse('ip,nw_frag=later,udp6,tp_src=53,actions=drop'), {
    message: /udp_src requires ip_frag not to match later fragments \(ovs-ofctl sends/,
  });
});

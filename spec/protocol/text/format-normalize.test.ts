/**
 * The printer prints what Open vSwitch prints, not what was sent: fields are printed by the
 * packet-header slot they set, in OVS's order, with its shorthands and number styles. The
 * expected texts are what `ovs-ofctl -O OpenFlow13 parse-flow` prints for the same matches.
 */
import t from 'tap';
import type { Instruction, Match } from '../../../protocol/index.js';
import { encodeMessage, decodeMessage } from '../../../protocol/index.js';
import { formatInstructions, formatMatch, formatMessage } from '../../../protocol/text/index.js';

const cases: [string, Match, string][] = [
  ['xreg0=5 is two registers', [{ field: 'xreg0', value: 5n }], 'reg0=0,reg1=0x5'],
  ['xxreg1 masked is reg4..reg7', [{ field: 'xxreg1', value: 1n, mask: 0xffn }], 'reg7=0x1/0xff'],
  [
    'ip_dscp prints as nw_tos',
    [
      { field: 'eth_type', value: 0x0800 },
      { field: 'ip_dscp', value: 8 },
    ],
    'ip,nw_tos=32',
  ],
  ['vlan_vid with present bit is dl_vlan', [{ field: 'vlan_vid', value: 0x1005 }], 'dl_vlan=5'],
  ['vlan_vid 0 is no VLAN', [{ field: 'vlan_vid', value: 0 }], 'vlan_tci=0x0000/0x1fff'],
  [
    'vlan_vid and vlan_pcp',
    [
      { field: 'vlan_vid', value: 0x1005 },
      { field: 'vlan_pcp', value: 3 },
    ],
    'dl_vlan=5,dl_vlan_pcp=3',
  ],
  [
    'eth_type, ip_proto, tcp_dst become tcp and tp_dst',
    [
      { field: 'eth_type', value: 0x0800 },
      { field: 'ip_proto', value: 6 },
      { field: 'tcp_dst', value: 80 },
    ],
    'tcp,tp_dst=80',
  ],
  [
    'icmpv6 type prints as icmp_type',
    [
      { field: 'eth_type', value: 0x86dd },
      { field: 'ip_proto', value: 58 },
      { field: 'icmpv6_type', value: 135 },
      { field: 'nd_target', value: 'fd00::1' },
    ],
    'icmp6,icmp_type=135,nd_target=fd00::1',
  ],
  [
    'registers come before in_port',
    [
      { field: 'in_port', value: 1 },
      { field: 'reg1', value: 1 },
    ],
    'reg1=0x1,in_port=1',
  ],
  [
    'ct_state flags print in bit order',
    [
      { field: 'ct_state', value: 0x22, mask: 0x32 },
      { field: 'eth_type', value: 0x0800 },
    ],
    'ct_state=+est-inv+trk,ip',
  ],
  [
    'arp opcode',
    [
      { field: 'eth_type', value: 0x0806 },
      { field: 'arp_op', value: 2 },
    ],
    'arp,arp_op=2',
  ],
  [
    'tun_id sits between the shorthand and tp_src',
    [
      { field: 'tun_id', value: 0x10n },
      { field: 'eth_type', value: 0x86dd },
      { field: 'ip_proto', value: 6 },
      { field: 'tcp_src', value: 1 },
    ],
    'tcp6,tun_id=0x10,tp_src=1',
  ],
  [
    'a non-CIDR mask prints as an address',
    [
      { field: 'eth_type', value: 0x0800 },
      { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.255.0' },
    ],
    'ip,nw_src=10.0.0.0/255.0.255.0',
  ],
  ['metadata masked', [{ field: 'metadata', value: 5n, mask: 0xffn }], 'metadata=0x5/0xff'],
];

for (const [name, match, want] of cases) {
  t.test(name, async (t) => {
    t.equal(formatMatch(match), want);
    // The same through the wire: encode a flow mod with the match, decode it, print it.
    const fm = {
      type: 'flow_mod' as const,
      xid: 1,
      cookie: 0n,
      cookieMask: 0n,
      tableId: 0,
      command: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 0x8000,
      bufferId: 0xffffffff,
      outPort: 0xffffffff,
      outGroup: 0xffffffff,
      flags: 0,
      match,
      instructions: [],
    };
    const text = formatMessage(decodeMessage(encodeMessage(fm)));
    t.equal(text, `OFPT_FLOW_MOD (OF1.3) (xid=0x1): ADD ${want} actions=drop\n`);
  });
}

t.test('priority: omitted at the default, first otherwise', async (t) => {
  t.equal(formatMatch([{ field: 'eth_type', value: 0x0800 }]), 'ip');
  t.equal(formatMatch([{ field: 'eth_type', value: 0x0800 }], 0), 'priority=0,ip');
  t.equal(formatMatch([], 100), 'priority=100');
  t.equal(formatMatch([]), '');
});

t.test('instructions print in Open vSwitch order, apply_actions inline', async (t) => {
  const ins: Instruction[] = [
    { type: 'goto_table', tableId: 3 },
    { type: 'write_metadata', metadata: 1n, metadataMask: 1n },
    { type: 'write_actions', actions: [{ type: 'group', groupId: 5 }] },
    { type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] },
    { type: 'clear_actions' },
    { type: 'meter', meterId: 7 },
  ];
  t.equal(formatInstructions(ins), 'meter:7,output:2,clear_actions,write_actions(group:5),write_metadata:0x1/0x1,goto_table:3');
  t.equal(formatInstructions([]), 'drop');
  t.equal(formatInstructions([{ type: 'apply_actions', actions: [] }]), 'drop');
});

t.test('register loads print as OVS prints the action it decodes', async (t) => {
  const ins: Instruction[] = [
    {
      type: 'apply_actions',
      actions: [
        { type: 'reg_load', dst: { field: 'reg0', ofs: 0, nBits: 16 }, value: 0n },
        { type: 'reg_load2', field: 'reg1', value: 5, mask: 0xff },
        { type: 'set_field', field: 'ipv4_dst', value: '10.0.0.1' },
        { type: 'set_field', field: 'vlan_vid', value: 0x1005 },
        { type: 'set_nw_tos', tos: 32 },
      ],
    },
  ];
  t.equal(
    formatInstructions(ins),
    'load:0->NXM_NX_REG0[0..15],set_field:0x5/0xff->reg1,set_field:10.0.0.1->ip_dst,set_field:4101->vlan_vid,mod_nw_tos:32',
  );
});

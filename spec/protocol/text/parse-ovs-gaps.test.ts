/**
 * Texts where ofwire and ovs-ofctl 3.1 once parted ways: an empty value, a leading zero, a sign, a
 * space, a field given twice. Each is checked against the installed ovs-ofctl: where it sends
 * bytes, ofwire sends the same; where it refuses, ofwire refuses with one line quoting the token;
 * where it silently changes what was written, ofwire refuses and says why.
 */
import t from 'tap';
import { haveOvsOfctl, ofwireOutcome, ovsOutcome, type TextKind } from './differential.js';

/** `same`: both send these bytes; `refused`: both refuse; `ovs-changes`: ofwire refuses what ovs-ofctl alters. */
type Expect = 'same' | 'refused' | 'ovs-changes';

const CASES: [TextKind, string, Expect, RegExp?][] = [
  // An empty value is `0/0` to ovs-ofctl: a wildcard with prerequisites, or an error; never "match all" for an address.
  ['flow', 'ip,nw_dst=,actions=drop', 'refused', /"nw_dst=".*nw_dst: missing value/],
  ['flow', 'ip,nw_dst,actions=drop', 'refused', /"nw_dst".*nw_dst: missing value/],
  ['flow', 'dl_src=,actions=drop', 'refused', /dl_src: missing value/],
  ['flow', 'ipv6,ipv6_dst=,actions=drop', 'refused', /ipv6_dst: missing value/],
  ['flow', 'in_port=,actions=drop', 'refused', /in_port: missing value/],
  ['flow', 'tun_dst=,actions=drop', 'refused', /tun_dst: missing value/],
  ['flow', 'ip,ip_frag=,actions=drop', 'refused', /ip_frag: missing value/],
  ['flow', 'icmp6,icmp_type=135,nd_sll=,actions=drop', 'refused', /nd_sll: missing value/],
  ['flow', 'packet_type=,actions=drop', 'refused', /packet_type: missing value/],
  ['flow', 'reg0=,actions=drop', 'same'],
  ['flow', 'tcp,tcp_flags=,actions=drop', 'same'],
  ['flow', 'tcp,tp_dst,actions=drop', 'same'],
  ['flow', 'ct_state=,actions=drop', 'same'],
  // Flags past 64 bits, or past the field.
  ['flow', 'tcp,tcp_flags=0x1/99999999999999999999,actions=drop', 'refused', /unknown TCP flag/],
  ['flow', 'tun_flags=+oam/99999999999999999999,actions=drop', 'refused', /unknown tunnel flag/],
  ['flow', 'tun_flags=0x1/99999999999999999999,actions=drop', 'refused', /unknown tunnel flag/],
  // ovs-ofctl's scanf overflows here and sends no ct_state match at all.
  ['flow', 'ct_state=0x1/0x10000000000000000,actions=drop', 'ovs-changes', /unknown ct_state flag/],
  // A leading zero makes a number octal.
  ['flow', 'ip,nw_tos=08,actions=drop', 'refused', /nw_tos.*octal/],
  ['flow', 'tcp,tp_dst=00080,actions=drop', 'refused', /octal/],
  ['flow', 'reg0=5/08,actions=drop', 'refused', /mask.*octal/],
  ['flow', 'ip,nw_tos=010,actions=drop', 'same'],
  ['flow', 'tcp,tp_dst=0120,actions=drop', 'same'],
  ['flow', 'tcp,tcp_flags=0004095,actions=drop', 'ovs-changes', /0004095: a number with a leading 0 is octal/],
  // Only C's white space counts as a space.
  ['flow', 'actions=conjunction(1,\u00a01/2)', 'refused', /conjunction/],
  ['flow', 'actions=conjunction(\ufeff1,1/2)', 'refused', /conjunction/],
  ['flow', 'actions=conjunction(1, 1/2)', 'same'],
  ['flow', 'actions=conjunction(+7,\t+1/+2)', 'same'],
  ['flow', 'actions=conjunction(7,1/-2)', 'refused', /conjunction/],
  // A field given twice.
  ['flow', 'tun_metadata63=1,tun_metadata63=1,actions=drop', 'refused', /field tun_metadata63 set multiple times/],
  ['flow', 'tun_metadata1=1,tun_metadata1[0..3]=1,actions=drop', 'refused', /set multiple times/],
  [
    'group',
    'group_id=1,type=select,selection_method=hash,fields(ip_src),fields(ip_src),bucket=actions=drop',
    'refused',
    /ip_src: duplicate field/,
  ],
  ['group', 'group_id=1,type=select,selection_method=hash,fields(ip_src,nw_src),bucket=actions=drop', 'refused', /duplicate field/],
  ['group', 'group_id=1,type=select,selection_method=hash,fields(ip_src=255.255.255.0,tcp_dst),bucket=actions=drop', 'same'],
  ['group', 'group_id=1,type=select,selection_method=hash,fields(ip_src=0.0.0.0),bucket=actions=drop', 'refused', /must not be all-zeros/],
  [
    'group',
    'group_id=1,type=select,selection_method=hash,fields(ip_src=1.2.3.4/8),bucket=actions=drop',
    'refused',
    /wildcards not allowed here/,
  ],
  [
    'group',
    'group_id=1,type=select,selection_method=hash,fields(in_port=5),bucket=actions=drop',
    'refused',
    /invalid mask for field in_port/,
  ],
  ['group', 'group_id=1,type=select,selection_method=hash,fields(ip_src=x),bucket=actions=drop', 'refused', /invalid IP address/],
  // OpenFlow 1.5 properties with nothing that makes ovs-ofctl forget them.
  ['group', 'group_id=1,type=select,selection_method=hash', 'refused', /no usable protocol/],
  ['group', 'group_id=1,type=select,selection_method_param=5,selection_method=hash', 'refused', /no usable protocol/],
  ['group', 'group_id=-0,type=select,selection_method,', 'refused', /no usable protocol/],
  // meter_id=0 asks for no meter.
  ['flow', 'actions=controller(max_len=128,reason=action,id=2,userdata=de.ad.be.ef,pause,meter_id=+0)', 'same'],
  ['flow', 'actions=controller(meter_id=0)', 'same'],
  ['flow', 'actions=controller(pause,meter_id=4294967295)', 'same'],
  // tun_metadata without a TLV map: as long as its value (0 bytes for 0), wildcarded by `*` or `/0`.
  ['flow', 'tun_metadata3=,actions=drop', 'same'],
  ['flow', 'tun_metadata3=*,actions=drop', 'same'],
  ['flow', 'tun_metadata3=0,actions=drop', 'same'],
  ['flow', 'tun_metadata3=1/0,actions=drop', 'same'],
  ['flow', 'tun_metadata3=0x100/0xff,actions=drop', 'same'],
  ['flow', 'tun_metadata3=0x1234,actions=drop', 'same'],
  ['flow', 'tun_metadata3[0..3]=5,actions=drop', 'same'],
  ['flow', 'tun_metadata3=0x5/0xf0f,tun_metadata4=0,actions=drop', 'same'],
  ['flow', `tun_metadata0=0x${'f'.repeat(248)},tun_metadata1=0x${'f'.repeat(248)},tun_metadata2=0x${'f'.repeat(16)},actions=drop`, 'same'],
  [
    'flow',
    `tun_metadata0=0x${'f'.repeat(248)},tun_metadata1=0x${'f'.repeat(248)},tun_metadata2=0x${'f'.repeat(18)},actions=drop`,
    'refused',
    /exceeds maximum size for tunnel metadata \(used 257, max 256\)/,
  ],
  ['flow', 'tun_metadata3=0x1z,actions=drop', 'refused', /bad syntax for tun_metadata3 value/],
  ['flow', 'tun_metadata3=1/z,actions=drop', 'refused', /bad syntax for tun_metadata3 mask/],
  ['flow', 'packet_type=(1,0x800),actions=drop', 'same'],
  ['flow', 'packet_type=(1,08),actions=drop', 'refused', /packet type/],
  // Signs and spaces that strtoull reads.
  ['flow', 'reg15=+5,actions=drop', 'same'],
  ['flow', 'tcp,tp_src=+5,actions=drop', 'same'],
  ['flow', 'reg1=-0,actions=drop', 'same'],
  ['flow', 'in_port=+10,actions=drop', 'same'],
  ['flow', 'ip,nw_src=10.0.0.0/+8,actions=drop', 'same'],
  ['flow', 'metadata=-1,actions=drop', 'ovs-changes', /value is negative/],
  ['flow', 'actions=resubmit(in_port, 5)', 'same'],
  ['flow', 'actions=resubmit( 3,  5)', 'same'],
  ['flow', 'actions=check_pkt_larger(  1500)->reg0[0]', 'same'],
  // An empty bucket action list is a bucket that drops.
  ['group', 'group_id=1,type=select,bucket=actions=', 'same'],
  ['group', 'group_id=1,type=select,bucket=actions=,bucket=output:1', 'same'],
  ['group', 'group_id=1,type=select,bucket=weight:5,actions=', 'same'],
  ['group', 'group_id=1,type=select,bucket=weight:5', 'refused', /bucket must specify actions/],
  // Tunnel fields OVS keeps in a whole byte.
  ['flow', 'tun_erspan_ver=16,actions=drop', 'same'],
  ['flow', 'tun_erspan_ver=255,actions=drop', 'same'],
  ['flow', 'tun_erspan_dir=2,actions=drop', 'same'],
  ['flow', 'tun_erspan_hwid=0x40,actions=drop', 'same'],
  ['flow', 'tun_erspan_ver=256,actions=drop', 'refused', /too large/],
  // What the encoder refuses is a syntax error quoting the action.
  [
    'flow',
    'actions=multipath(eth_src,0,hrw,2,0,xxreg0[])',
    'ovs-changes',
    /"multipath\(eth_src,0,hrw,2,0,xxreg0\[\]\)".*xxreg0\[0\.\.127\] is 128 bits wide/,
  ],
  [
    'flow',
    'actions=clone(bundle_load(eth_src,0,hrw,ofport,xxreg1[],members:1))',
    'ovs-changes',
    /"bundle_load\(.*xxreg1\[0\.\.127\] is 128 bits wide/,
  ],
];

const ovs = await haveOvsOfctl();

t.test('ofwire refuses and accepts these texts as recorded', async (t) => {
  for (const [kind, text, expect, re] of CASES) {
    const ow = ofwireOutcome(kind, text);
    const name = JSON.stringify(text);
    if (expect === 'same') {
      t.ok(ow.ok, `${name}: ofwire accepts${ow.ok ? '' : ` (${ow.error})`}`);
      continue;
    }
    t.notOk(ow.ok, `${name}: ofwire refuses`);
    if (ow.ok) continue;
    t.match(ow.error, /^OfpSyntaxError: ovs-ofctl syntax: "/, `${name}: a syntax error quoting the token`);
    t.notOk(ow.error.includes('\n'), `${name}: one line`);
    t.notMatch(ow.error, /flow_mod\.|group_mod\.|instructions\[/, `${name}: no encoder path`);
    if (re) t.match(ow.error, re, `${name}: says why`);
  }
});

t.test(
  'ovs-ofctl 3.1 does the same with them',
  { skip: ovs ? false : 'ovs-ofctl is not installed (npm test installs openvswitch-switch)' },
  async (t) => {
    for (const [kind, text, expect] of CASES) {
      const ow = ofwireOutcome(kind, text);
      const name = JSON.stringify(text);
      const o = await ovsOutcome(kind, text);
      if (expect === 'same') {
        t.ok(o.ok, `${name}: ovs-ofctl accepts`);
        if (o.ok && ow.ok) t.equal(ow.hex, o.hex, `${name}: the bytes ovs-ofctl sends`);
      } else {
        t.equal(o.ok, expect === 'ovs-changes', `${name}: ovs-ofctl ${expect === 'refused' ? 'refuses' : 'accepts (and changes it)'}`);
      }
    }
  },
);

/**
 * The pipeline compiler, shape by shape: every flow and group it emits must be byte for byte what
 * ovs-ofctl would send for the flow as ovs-vswitchd 3.1 prints it back (the expected lines below
 * are taken from `ovs-ofctl dump-flows` / `dump-groups` of a bridge the proxy programmed), and every
 * match must already be in the canonical form OVS reports, so the reconciler sees no difference
 * between what it wants and what the switch says it has.
 */
import t from 'tap';
import { baseEntries, compilePort, dnatAction, groupIdOf, hairpinEntry, usesGroup, type CompiledPort } from '../../../lib/proxy/compile.js';
import { sameAsOvs } from '../../helpers/compiled-entries.js';
import type { EndpointTarget, ServicePortState } from '../../../lib/proxy/model.js';
import { resolveOptions, tablesOf, type ProxyOptions } from '../../../lib/proxy/options.js';

const O = resolveOptions();

function sp(
  over: Partial<ServicePortState> & Pick<ServicePortState, 'vip' | 'port'>,
  endpoints: string[] = [],
  epPort = 8080,
): ServicePortState {
  const family = over.vip.includes(':') ? 'IPv6' : 'IPv4';
  const protocol = over.protocol ?? 'TCP';
  return {
    key: `${family}|${protocol}|${over.vip}|${over.port}`,
    service: 'default/s',
    portName: '',
    family,
    protocol,
    mode: endpoints.length ? 'serve' : 'reject',
    endpoints: endpoints.map((ip): EndpointTarget => ({ ip, port: epPort, local: false })),
    affinitySeconds: 0,
    ...over,
  };
}

const own = (c: CompiledPort) => c.own;

t.test('the fixed flows of the pipeline', async (t) => {
  sameAsOvs(t, baseEntries(O), [
    'cookie=0xf77000000000000,table=10,priority=110,ct_state=-trk,ip,nw_dst=169.254.0.253,actions=ct(table=10,zone=65522,nat)',
    'cookie=0xf77000000000000,table=10,priority=110,ct_state=-trk,ipv6,ipv6_dst=fd00:ffff::253,actions=ct(table=10,zone=65523,nat)',
    'cookie=0xf77000000000000,table=10,priority=100,ip,actions=ct(table=11,zone=65520,nat)',
    'cookie=0xf77000000000000,table=10,priority=100,ipv6,actions=ct(table=11,zone=65521,nat)',
    'cookie=0xf77000000000000,table=10,priority=0,actions=goto_table:20',
    'cookie=0xf77000000000000,table=11,priority=0,actions=goto_table:15',
    'cookie=0xf77000000000000,table=12,priority=200,reg2=0x10000/0x10000,actions=goto_table:13',
    'cookie=0xf77000000000000,table=12,priority=0,actions=drop',
    'cookie=0xf77000000000000,table=13,priority=0,actions=drop',
    'cookie=0xf77000000000000,table=14,priority=0,actions=drop',
    'cookie=0xf77000000000000,table=15,priority=0,actions=goto_table:20',
  ]);
});

t.test('TCP with a few endpoints: a select group', async (t) => {
  const c = compilePort(O, sp({ vip: '10.96.0.10', port: 80 }, ['10.244.0.11', '10.244.0.12', '10.244.0.13']), 1);
  t.equal(c.shape, 'group');
  const nat = (ip: string) => `ct(commit,table=15,zone=65520,nat(dst=${ip}:8080))`;
  sameAsOvs(t, own(c), [
    `group_id=2130706433,type=select,bucket=weight:57,actions=${nat('10.244.0.11')},bucket=weight:57,actions=${nat('10.244.0.12')},bucket=weight:57,actions=${nat('10.244.0.13')},bucket=weight:1,actions=${nat('10.244.0.11')}`,
    'cookie=0xf77100000000001,table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=group:2130706433',
  ]);
  sameAsOvs(t, c.shared, [
    'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.11,nw_dst=10.244.0.11,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
    'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.12,nw_dst=10.244.0.12,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
    'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.13,nw_dst=10.244.0.13,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
  ]);
  t.equal(groupIdOf(O, 1), 0x7f000001);
});

t.test('IPv6 TCP group and hairpin', async (t) => {
  const c = compilePort(O, sp({ vip: 'fd00:10:96::b', port: 80 }, ['fd00:10:244::11', 'fd00:10:244::12']), 5);
  const nat = (ip: string) => `ct(commit,table=15,zone=65521,nat(dst=[${ip}]:8080))`;
  sameAsOvs(t, own(c), [
    `group_id=2130706437,type=select,bucket=actions=${nat('fd00:10:244::11')},bucket=actions=${nat('fd00:10:244::12')}`,
    'cookie=0xf77100000000005,table=11,priority=100,ct_state=+new+trk,tcp6,ipv6_dst=fd00:10:96::b,tp_dst=80,actions=group:2130706437',
  ]);
  sameAsOvs(t, c.shared, [
    'cookie=0xf77500000000000,table=15,priority=100,ipv6,ipv6_src=fd00:10:244::11,ipv6_dst=fd00:10:244::11,actions=ct(commit,table=20,zone=65523,nat(src=fd00:ffff::253))',
    'cookie=0xf77500000000000,table=15,priority=100,ipv6,ipv6_src=fd00:10:244::12,ipv6_dst=fd00:10:244::12,actions=ct(commit,table=20,zone=65523,nat(src=fd00:ffff::253))',
  ]);
});

t.test('SCTP: address-only DNAT (userspace conntrack cannot translate SCTP ports)', async (t) => {
  const c = compilePort(O, sp({ vip: '10.96.0.14', port: 9, protocol: 'SCTP' }, ['10.244.0.11', '10.244.0.12'], 9999), 8);
  sameAsOvs(t, own(c), [
    'group_id=2130706440,type=select,bucket=actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.11)),bucket=actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.12))',
    'cookie=0xf77100000000008,table=11,priority=100,ct_state=+new+trk,sctp,nw_dst=10.96.0.14,tp_dst=9,actions=group:2130706440',
  ]);
  const aff = compilePort(O, sp({ vip: '10.96.0.14', port: 9, protocol: 'SCTP', affinitySeconds: 60 }, ['10.244.0.11']), 8);
  t.equal(aff.shape, 'slots', 'SCTP with affinity: slots');
  sameAsOvs(
    t,
    aff.shared.filter((e) => e.table === 13),
    [
      'cookie=0xf77300000000000,table=13,priority=100,sctp,reg2=0x1f90/0xffff,reg3=0xaf4000b,actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.11))',
    ],
  );
});

t.test('UDP: multipath into per-endpoint slot flows', async (t) => {
  const c = compilePort(O, sp({ vip: '10.96.0.10', port: 53, protocol: 'UDP' }, ['10.244.0.11', '10.244.0.12'], 5353), 2);
  t.equal(c.shape, 'slots');
  sameAsOvs(t, own(c), [
    'cookie=0xf77100000000002,table=11,priority=100,ct_state=+new+trk,udp,nw_dst=10.96.0.10,tp_dst=53,actions=set_field:0x2->reg0,multipath(symmetric_l3l4+udp,0,modulo_n,2,0,NXM_NX_REG1[]),goto_table:12',
    'cookie=0xf77200000000002,table=12,priority=100,udp,reg0=0x2,reg1=0,actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.11:5353))',
    'cookie=0xf77200000000002,table=12,priority=100,udp,reg0=0x2,reg1=0x1,actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.12:5353))',
  ]);
  t.equal(c.shared.length, 2, 'hairpin flows');
  const v6 = compilePort(O, sp({ vip: 'fd00:10:96::a', port: 53, protocol: 'UDP' }, ['fd00:10:244::11'], 5353), 0x123456);
  sameAsOvs(t, own(v6), [
    'cookie=0xf77100000123456,table=11,priority=100,ct_state=+new+trk,udp6,ipv6_dst=fd00:10:96::a,tp_dst=53,actions=set_field:0x123456->reg0,multipath(symmetric_l3l4+udp,0,modulo_n,1,0,NXM_NX_REG1[]),goto_table:12',
    'cookie=0xf77200000123456,table=12,priority=100,udp6,reg0=0x123456,reg1=0,actions=ct(commit,table=15,zone=65521,nat(dst=[fd00:10:244::11]:5353))',
  ]);
});

t.test('ClientIP affinity: look up, select, learn, DNAT from registers', async (t) => {
  const c = compilePort(O, sp({ vip: '10.96.0.11', port: 80, affinitySeconds: 65535 }, ['10.244.0.11', '10.244.0.13']), 3);
  t.equal(c.shape, 'slots', 'affinity always uses slots');
  const learn = (ip: string, cookie: string) =>
    `learn(table=14,idle_timeout=65535,priority=100,cookie=${cookie},eth_type=0x800,NXM_OF_IP_SRC[],NXM_NX_REG0[],load:${ip}->NXM_NX_REG3[],load:0x1f90->NXM_NX_REG2[0..15],load:0x1->NXM_NX_REG2[16])`;
  sameAsOvs(t, own(c), [
    'cookie=0xf77100000000003,table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.11,tp_dst=80,actions=set_field:0x3->reg0,resubmit(,14),multipath(symmetric_l3l4+udp,0,modulo_n,2,0,NXM_NX_REG1[]),goto_table:12',
    `cookie=0xf77200000000003,table=12,priority=100,tcp,reg0=0x3,reg1=0,actions=${learn('0xaf4000b', '0xf77400000329192')},ct(commit,table=15,zone=65520,nat(dst=10.244.0.11:8080))`,
    `cookie=0xf77200000000003,table=12,priority=100,tcp,reg0=0x3,reg1=0x1,actions=${learn('0xaf4000d', cookieOf(3, '10.244.0.13', 8080))},ct(commit,table=15,zone=65520,nat(dst=10.244.0.13:8080))`,
  ]);
  sameAsOvs(t, c.shared, [
    'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.11,nw_dst=10.244.0.11,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
    'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.13,nw_dst=10.244.0.13,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
    'cookie=0xf77300000000000,table=13,priority=100,tcp,reg2=0x1f90/0xffff,reg3=0xaf4000b,actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.11:8080))',
    'cookie=0xf77300000000000,table=13,priority=100,tcp,reg2=0x1f90/0xffff,reg3=0xaf4000d,actions=ct(commit,table=15,zone=65520,nat(dst=10.244.0.13:8080))',
  ]);
});

t.test('IPv6 ClientIP affinity', async (t) => {
  const c = compilePort(O, sp({ vip: 'fd00:10:96::a', port: 80, affinitySeconds: 30 }, ['fd00:10:244::11']), 4);
  sameAsOvs(t, own(c), [
    'cookie=0xf77100000000004,table=11,priority=100,ct_state=+new+trk,tcp6,ipv6_dst=fd00:10:96::a,tp_dst=80,actions=set_field:0x4->reg0,resubmit(,14),multipath(symmetric_l3l4+udp,0,modulo_n,1,0,NXM_NX_REG1[]),goto_table:12',
    'cookie=0xf77200000000004,table=12,priority=100,tcp6,reg0=0x4,reg1=0,actions=learn(table=14,idle_timeout=30,priority=100,cookie=0xf774000004cdac8,eth_type=0x86dd,NXM_NX_IPV6_SRC[],NXM_NX_REG0[],load:0xfd000010024400000000000000000011->NXM_NX_XXREG1[],load:0x1f90->NXM_NX_REG2[0..15],load:0x1->NXM_NX_REG2[16]),ct(commit,table=15,zone=65521,nat(dst=[fd00:10:244::11]:8080))',
  ]);
  sameAsOvs(
    t,
    c.shared.filter((e) => e.table === 13),
    [
      'cookie=0xf77300000000000,table=13,priority=100,tcp6,reg2=0x1f90/0xffff,reg4=0xfd000010,reg5=0x2440000,reg6=0,reg7=0x11,actions=ct(commit,table=15,zone=65521,nat(dst=[fd00:10:244::11]:8080))',
    ],
  );
});

t.test('no endpoints: to the controller; Local without local endpoints: drop', async (t) => {
  const reject = compilePort(O, sp({ vip: '10.96.0.12', port: 80 }), 6);
  t.equal(reject.shape, 'reject');
  sameAsOvs(t, own(reject), [
    'cookie=0xf77100000000006,table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.12,tp_dst=80,actions=CONTROLLER:256',
  ]);
  t.same(reject.shared, []);
  const reject6 = compilePort(O, sp({ vip: 'fd00:10:96::c', port: 53, protocol: 'UDP' }), 7);
  sameAsOvs(t, own(reject6), [
    'cookie=0xf77100000000007,table=11,priority=100,ct_state=+new+trk,udp6,ipv6_dst=fd00:10:96::c,tp_dst=53,actions=CONTROLLER:256',
  ]);
  const drop = compilePort(O, { ...sp({ vip: '10.96.0.15', port: 80 }), mode: 'drop' }, 9);
  t.equal(drop.shape, 'drop');
  sameAsOvs(t, own(drop), [
    'cookie=0xf77100000000009,table=11,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.15,tp_dst=80,actions=drop',
  ]);
  t.same(drop.shared, []);
});

t.test('group or slots', async (t) => {
  const eps = (n: number) => Array.from({ length: n }, (_, i) => `10.245.${i >> 8}.${i & 255}`);
  const shape = (s: ServicePortState, o: ProxyOptions = O) => compilePort(o, s, 1).shape;
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(256))), 'group', '256 TCP endpoints: one slot each');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(257))), 'slots', '257: more than the hash slots');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(200))), 'slots', '200: the slots would split 2:1');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(1))), 'group');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80, protocol: 'UDP' }, eps(2))), 'slots', 'UDP: the datapath hash ignores UDP ports');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80, affinitySeconds: 1 }, eps(2))), 'slots', 'affinity');
  const strict = resolveOptions({ maxGroupImbalance: 1 });
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(3)), strict), 'slots', 'maxGroupImbalance 1: 86/85/85 is not even enough');
  t.equal(shape(sp({ vip: '10.96.0.1', port: 80 }, eps(4)), strict), 'group', 'maxGroupImbalance 1: 4 endpoints split exactly');
  t.notOk(usesGroup(O, sp({ vip: '10.96.0.1', port: 80 })), 'reject mode');
  const big = compilePort(O, sp({ vip: '10.96.0.1', port: 80 }, eps(5000)), 77);
  t.equal(big.own.length, 5001, '5000 endpoints: one service flow and 5000 slot flows');
  t.equal(big.shared.length, 5000, 'and a hairpin flow each');
  const mp = (big.own[0] as { instructions: { actions?: { type: string; maxLink?: number }[] }[] }).instructions[0]!.actions!.find(
    (a) => a.type === 'multipath',
  );
  t.equal(mp?.maxLink, 4999, 'multipath over 5000 links');
});

t.test("hairpin flows only for this node's endpoints when the node is known", async (t) => {
  const o = resolveOptions({ nodeName: 'a' });
  const s = sp({ vip: '10.96.0.1', port: 80 }, ['10.244.0.11', '10.244.0.12']);
  s.endpoints[1]!.local = true;
  const c = compilePort(o, s, 1);
  t.same(
    c.shared.map((e) => (e.match.find((m) => m.field === 'ipv4_src') as { value: string }).value),
    ['10.244.0.12'],
  );
  sameAsOvs(
    t,
    [hairpinEntry(O, '10.244.0.5')],
    [
      'cookie=0xf77500000000000,table=15,priority=100,ip,nw_src=10.244.0.5,nw_dst=10.244.0.5,actions=ct(commit,table=20,zone=65522,nat(src=169.254.0.253))',
    ],
  );
});

t.test('tables, zones, registers, cookies and group ids follow the options', async (t) => {
  const o = resolveOptions({
    tableBase: 30,
    nextTable: 40,
    ctZone: 100,
    ctZone6: 101,
    hairpinZone: 102,
    hairpinZone6: 103,
    hairpinIp: '169.254.1.1',
    hairpinIp6: 'fd00:1::1',
    cookiePrefix: 0xabcd,
    groupBase: 0x01000000,
    registers: { service: 8, slot: 9, aux: 10, ip4: 11, ip6xx: 0 },
    rejectMaxLen: 128,
  });
  t.same(tablesOf(o), { conntrack: 30, service: 31, slot: 32, dnat: 33, affinity: 34, hairpin: 35, next: 40 });
  sameAsOvs(t, baseEntries(o).slice(0, 7), [
    'cookie=0xabcd000000000000,table=30,priority=110,ct_state=-trk,ip,nw_dst=169.254.1.1,actions=ct(table=30,zone=102,nat)',
    'cookie=0xabcd000000000000,table=30,priority=110,ct_state=-trk,ipv6,ipv6_dst=fd00:1::1,actions=ct(table=30,zone=103,nat)',
    'cookie=0xabcd000000000000,table=30,priority=100,ip,actions=ct(table=31,zone=100,nat)',
    'cookie=0xabcd000000000000,table=30,priority=100,ipv6,actions=ct(table=31,zone=101,nat)',
    'cookie=0xabcd000000000000,table=30,priority=0,actions=goto_table:40',
    'cookie=0xabcd000000000000,table=31,priority=0,actions=goto_table:35',
    'cookie=0xabcd000000000000,table=32,priority=200,reg10=0x10000/0x10000,actions=goto_table:33',
  ]);
  const aff = compilePort(o, sp({ vip: 'fd00:10:96::a', port: 80, affinitySeconds: 5 }, ['fd00:10:244::11']), 2);
  sameAsOvs(t, aff.own, [
    'cookie=0xabcd100000000002,table=31,priority=100,ct_state=+new+trk,tcp6,ipv6_dst=fd00:10:96::a,tp_dst=80,actions=set_field:0x2->reg8,resubmit(,34),multipath(symmetric_l3l4+udp,0,modulo_n,1,0,NXM_NX_REG9[]),goto_table:32',
    `cookie=0xabcd200000000002,table=32,priority=100,tcp6,reg8=0x2,reg9=0,actions=learn(table=34,idle_timeout=5,priority=100,cookie=${cookieOf(2, 'fd00:10:244::11', 8080, 0xabcd)},eth_type=0x86dd,NXM_NX_IPV6_SRC[],NXM_NX_REG8[],load:0xfd000010024400000000000000000011->NXM_NX_XXREG0[],load:0x1f90->NXM_NX_REG10[0..15],load:0x1->NXM_NX_REG10[16]),ct(commit,table=35,zone=101,nat(dst=[fd00:10:244::11]:8080))`,
  ]);
  sameAsOvs(t, aff.shared, [
    'cookie=0xabcd500000000000,table=35,priority=100,ipv6,ipv6_src=fd00:10:244::11,ipv6_dst=fd00:10:244::11,actions=ct(commit,table=40,zone=103,nat(src=fd00:1::1))',
    'cookie=0xabcd300000000000,table=33,priority=100,tcp6,reg0=0xfd000010,reg1=0x2440000,reg2=0,reg3=0x11,reg10=0x1f90/0xffff,actions=ct(commit,table=35,zone=101,nat(dst=[fd00:10:244::11]:8080))',
  ]);
  const grp = compilePort(o, sp({ vip: '10.96.0.1', port: 80 }, ['10.244.0.11']), 3);
  sameAsOvs(t, grp.own, [
    'group_id=16777219,type=select,bucket=actions=ct(commit,table=35,zone=100,nat(dst=10.244.0.11:8080))',
    'cookie=0xabcd100000000003,table=31,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.1,tp_dst=80,actions=group:16777219',
  ]);
  sameAsOvs(t, compilePort(o, sp({ vip: '10.96.0.1', port: 80 }), 4).own, [
    'cookie=0xabcd100000000004,table=31,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.1,tp_dst=80,actions=CONTROLLER:128',
  ]);
  t.same(dnatAction(o, { family: 'IPv4', protocol: 'UDP' }, '10.0.0.1', 53), {
    type: 'ct',
    flags: 1,
    zone: 100,
    recircTable: 35,
    alg: 0,
    actions: [{ type: 'nat', flags: 2, ipMin: '10.0.0.1', portMin: 53 }],
  });
});

/** The learned-flow cookie as hex text, computed the way the golden lines above were. */
function cookieOf(id: number, ip: string, port: number, prefix = 0x0f77): string {
  let h = 0x811c9dc5;
  const s = `${ip}|${port}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const value = (BigInt(prefix) << 48n) | (4n << 44n) | (BigInt(id) << 20n) | BigInt((h >>> 0) & 0xfffff);
  return `0x${value.toString(16)}`;
}
